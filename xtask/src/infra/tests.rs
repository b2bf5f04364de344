//! The schema check against the real schemas and the real `infra/`: it passes as committed, and
//! each kind of mistake, made in a copy of a real file, is reported.

use std::sync::OnceLock;

use super::check::check_file;
use super::{Providers, check_pins, check_tree, providers};
use crate::paths;

fn schemas() -> &'static Providers {
    static PROVIDERS: OnceLock<Providers> = OnceLock::new();
    PROVIDERS.get_or_init(|| {
        providers(&paths::cache_dir().join("venv/bin"))
            .expect("the provider schemas load (run `cargo xtask setup` first)")
    })
}

/// The problems reported for `file` after replacing `from` (which must occur once) with `to`.
fn problems_after(file: &str, from: &str, to: &str) -> Vec<String> {
    let path = paths::repo_root().join("infra").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {file}");
    let clean = check_file(&path, &text, schemas()).unwrap();
    assert!(clean.is_empty(), "{file} as committed: {clean:?}");
    check_file(&path, &text.replace(from, to), schemas())
        .unwrap()
        .into_iter()
        .map(|finding| format!("{}: {}", finding.place, finding.problem))
        .collect()
}

#[test]
fn the_committed_infrastructure_matches_the_pinned_schemas() {
    let infra = paths::repo_root().join("infra");
    assert_eq!(check_pins(&infra, schemas()).unwrap(), Vec::<String>::new());
    let findings = check_tree(&infra, schemas()).unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn a_misspelled_argument_is_reported_with_the_name_it_resembles() {
    assert_eq!(
        problems_after(
            "modules/api/main.tf",
            "  statement_id  = \"ApiGatewayInvoke\"",
            "  statment_id  = \"ApiGatewayInvoke\"",
        ),
        [
            "aws_lambda_permission.api: unknown argument `statment_id` (did you mean `statement_id`?)"
        ]
    );
}

#[test]
fn a_misspelled_argument_inside_a_nested_block_is_reported() {
    assert_eq!(
        problems_after(
            "modules/hosting/main.tf",
            "path_pattern               = \"/embed/*\"",
            "path_patern                = \"/embed/*\"",
        ),
        [
            "aws_cloudfront_distribution.site › ordered_cache_behavior: unknown argument `path_patern` (did you mean `path_pattern`?)",
            "aws_cloudfront_distribution.site › ordered_cache_behavior: missing required argument `path_pattern`",
        ]
    );
}

#[test]
fn a_missing_required_argument_is_reported() {
    assert_eq!(
        problems_after(
            "modules/api/main.tf",
            "  route_key = \"ANY /{proxy+}\"\n",
            "",
        ),
        ["aws_apigatewayv2_route.pages: missing required argument `route_key`"]
    );
}

#[test]
fn a_value_outside_an_api_enumeration_is_reported() {
    let problems = problems_after(
        "modules/data/main.tf",
        "\"PAY_PER_REQUEST\"",
        "\"ON_DEMAND\"",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "aws_dynamodb_table.store: `billing_mode` = \"ON_DEMAND\" is not one of PROVISIONED, PAY_PER_REQUEST"
        ),
        "{problems:?}"
    );
}

#[test]
fn cloud_control_resources_are_checked_too() {
    assert_eq!(
        problems_after(
            "modules/streaming/main.tf",
            "    resolution              = \"SD\"",
            "    resolution              = \"4K\"",
        ),
        [
            "awscc_ivs_recording_configuration.recordings › thumbnail_configuration: `resolution` = \"4K\" is not one of FULL_HD, HD, SD, LOWEST_RESOLUTION"
        ]
    );
    assert_eq!(
        problems_after(
            "modules/streaming/main.tf",
            "recording_reconnect_window_seconds = 60",
            "recording_reconect_window_seconds = 60",
        ),
        [
            "awscc_ivs_recording_configuration.recordings: unknown argument `recording_reconect_window_seconds` (did you mean `recording_reconnect_window_seconds`?)"
        ]
    );
}

#[test]
fn an_unknown_resource_type_and_a_block_written_as_an_argument_are_reported() {
    assert_eq!(
        problems_after(
            "modules/api/main.tf",
            "resource \"aws_cloudwatch_log_group\" \"access\"",
            "resource \"aws_cloudwatch_log_grop\" \"access\"",
        ),
        [
            "aws_cloudwatch_log_grop.access: hashicorp/aws 6.25.0 has no resource type `aws_cloudwatch_log_grop`"
        ]
    );
    assert_eq!(
        problems_after(
            "bootstrap/main.tf",
            "  versioning_configuration {",
            "  versioning_configuration = {",
        ),
        [
            "aws_s3_bucket_versioning.state: `versioning_configuration` is a block: write `versioning_configuration { ... }`, not `versioning_configuration = ...`"
        ]
    );
}

#[test]
fn a_pin_that_differs_from_the_schema_version_is_reported() {
    let dir = std::env::temp_dir().join(format!("cloumer-pins-{}", std::process::id()));
    let root = dir.join("environments/prod");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(dir.join("bootstrap")).unwrap();
    std::fs::write(
        root.join("versions.tf"),
        "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 6.0\"\n    }\n  }\n}\n",
    )
    .unwrap();
    let problems = check_pins(&dir, schemas()).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].ends_with("`aws` is pinned to \"~> 6.0\"; the schemas checked are 6.25.0"));
}

#[test]
fn calls_of_our_own_modules_are_held_against_their_variables() {
    assert_eq!(
        problems_after(
            "environments/prod/main.tf",
            "  alarm_email = var.alarm_email\n",
            "  alarm_emial = var.alarm_email\n",
        ),
        [
            "module.observability: unknown module argument `alarm_emial` (did you mean `alarm_email`?)"
        ]
    );
    assert_eq!(
        problems_after(
            "environments/prod/main.tf",
            "  table_name                = module.data.table_name\n",
            "",
        ),
        ["module.observability: missing required module argument `table_name`"]
    );
}
