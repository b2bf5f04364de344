//! The Terraform in infra/ checked against the backend it deploys. `terraform validate` needs
//! provider downloads, which these machines cannot make, so the HCL is parsed here and its
//! wiring asserted: every Lambda binary has a function, every function a role and a log group
//! with retention, every environment variable the backend reads is set, and no IAM statement
//! uses a wildcard action.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hcl::{Block, Body, Expression};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every `.tf` file under `dir`, parsed.
fn parse_dir(dir: &Path) -> BTreeMap<PathBuf, Body> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != ".terraform") {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "tf") {
                let text = std::fs::read_to_string(&path).unwrap();
                let body = hcl::parse(&text)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
                files.insert(path, body);
            }
        }
    }
    files
}

fn body(path: &str) -> Body {
    let path = repo().join(path);
    hcl::parse(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn blocks<'a>(body: &'a Body, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
    body.blocks().filter(move |b| b.identifier.as_str() == kind)
}

fn labelled<'a>(body: &'a Body, kind: &str, labels: &[&str]) -> &'a Block {
    body.blocks()
        .find(|b| {
            b.identifier.as_str() == kind
                && b.labels
                    .iter()
                    .map(|l| l.as_str())
                    .eq(labels.iter().copied())
        })
        .unwrap_or_else(|| panic!("no {kind} {labels:?}"))
}

fn attribute<'a>(body: &'a Body, name: &str) -> Option<&'a Expression> {
    body.attributes()
        .find(|a| a.key.as_str() == name)
        .map(|a| &a.expr)
}

fn text(expr: &Expression) -> String {
    expr.to_string()
}

fn locals(body: &Body) -> BTreeMap<String, Expression> {
    blocks(body, "locals")
        .flat_map(|b| b.body.attributes())
        .map(|a| (a.key.to_string(), a.expr.clone()))
        .collect()
}

fn object_strings(expr: &Expression) -> BTreeMap<String, String> {
    let Expression::Object(object) = expr else {
        panic!("not an object: {expr}")
    };
    object
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Expression::String(s) => s.clone(),
                other => text(other),
            };
            (key.to_string(), value)
        })
        .collect()
}

/// The functions the Lambda binary runs, by handler: the modules in
/// `backend/lambda/src/bin/functions/` (the binary's own test checks it runs each by that name).
fn lambda_handlers() -> BTreeSet<String> {
    std::fs::read_dir(repo().join("backend/lambda/src/bin/functions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".rs").map(|stem| stem.replace('_', "-")))
        .filter(|name| name != "main")
        .collect()
}

/// The environment variables the cloud adapters read (`var("…")` required, `optional("…")`
/// optional, in backend/aws/src/lib.rs), as (name, required).
fn backend_variables() -> BTreeMap<String, bool> {
    let source = std::fs::read_to_string(repo().join("backend/aws/src/lib.rs")).unwrap();
    let mut found = BTreeMap::new();
    for (call, required) in [
        ("var(\"", true),
        ("optional(\"", false),
        ("number(\"", false),
    ] {
        for piece in source.split(call).skip(1) {
            let name = piece.split('"').next().unwrap();
            if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                found.insert(name.to_owned(), required);
            }
        }
    }
    assert!(found.len() >= 5, "the scan found the variables: {found:?}");
    found
}

/// `module` blocks built from modules/function, by name.
fn function_modules(root: &Body) -> BTreeMap<String, &Body> {
    blocks(root, "module")
        .filter(|b| {
            attribute(&b.body, "source").is_some_and(
                |s| matches!(s, Expression::String(s) if s == "../../modules/function"),
            )
        })
        .map(|b| (b.labels[0].as_str().to_owned(), &b.body))
        .collect()
}

#[test]
fn every_terraform_file_parses() {
    let files = parse_dir(&repo().join("infra"));
    assert!(files.len() >= 20, "found {} files", files.len());
}

#[test]
fn every_lambda_function_is_deployed_once_from_the_one_zip() {
    let root = body("infra/environments/prod/main.tf");
    let locals = locals(&root);
    // The zip `cargo xtask package` writes for the functions binary.
    let zip = text(&locals["lambda_zip"]);
    assert_eq!(
        zip,
        "\"${var.lambda_zip_dir}/${var.lambda_architecture}/functions/bootstrap.zip\""
    );
    let functions = function_modules(&root);
    let mut deployed = BTreeSet::new();
    for (name, module) in &functions {
        assert_eq!(
            text(attribute(module, "zip_path").expect("zip_path")),
            "local.lambda_zip",
            "{name}"
        );
        let handler = match attribute(module, "handler").expect("handler") {
            Expression::String(handler) => handler.clone(),
            other => panic!("{name}: the handler is a literal name, not {other}"),
        };
        assert!(
            lambda_handlers().contains(&handler),
            "{name}: the binary has no function {handler}"
        );
        assert!(deployed.insert(handler.clone()), "{handler} deployed twice");
        assert_eq!(
            text(attribute(module, "architecture").expect("architecture")),
            "var.lambda_architecture"
        );
        assert!(
            attribute(module, "log_retention_days").is_some(),
            "{name} sets its log retention"
        );
    }
    assert_eq!(deployed, lambda_handlers(), "every function is deployed");
}

#[test]
fn every_function_has_its_own_role_and_log_group_with_retention() {
    let module = body("infra/modules/function/main.tf");
    let function = labelled(&module, "resource", &["aws_lambda_function", "function"]);
    assert_eq!(
        text(attribute(&function.body, "role").unwrap()),
        "aws_iam_role.function.arn"
    );
    assert_eq!(
        text(attribute(&function.body, "runtime").unwrap()),
        "\"provided.al2023\""
    );
    // Lambda hands the handler to the binary as _HANDLER: it picks the function to run.
    assert_eq!(
        text(attribute(&function.body, "handler").unwrap()),
        "var.handler"
    );
    let logging = blocks(&function.body, "logging_config").next().unwrap();
    assert_eq!(
        text(attribute(&logging.body, "log_group").unwrap()),
        "aws_cloudwatch_log_group.function.name"
    );
    let log_group = labelled(
        &module,
        "resource",
        &["aws_cloudwatch_log_group", "function"],
    );
    assert_eq!(
        text(attribute(&log_group.body, "name").unwrap()),
        "\"/aws/lambda/${var.name}\""
    );
    assert_eq!(
        text(attribute(&log_group.body, "retention_in_days").unwrap()),
        "var.log_retention_days"
    );
    let role = labelled(&module, "resource", &["aws_iam_role", "function"]);
    assert_eq!(text(attribute(&role.body, "name").unwrap()), "var.name");
    // The role's policy grants its own log group, not every log group.
    let policy = labelled(&module, "data", &["aws_iam_policy_document", "function"]);
    let logs = blocks(&policy.body, "statement")
        .find(|s| text(attribute(&s.body, "sid").unwrap()) == "\"OwnLogs\"")
        .unwrap();
    let resources = attribute(&logs.body, "resources").unwrap();
    assert!(
        matches!(resources, Expression::Array(items) if items.len() == 1
            && text(&items[0]) == "\"${aws_cloudwatch_log_group.function.arn}:*\""),
        "{resources}"
    );
}

#[test]
fn every_environment_variable_the_backend_reads_is_set() {
    let root = body("infra/environments/prod/main.tf");
    let locals = locals(&root);
    let shared = object_strings(&locals["function_environment"]);
    let read = backend_variables();
    // Variables one function adds for itself: `merge(local.function_environment, { … })`.
    let mut own: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, module) in function_modules(&root) {
        let environment = text(attribute(module, "environment").expect("environment"));
        if environment == "local.function_environment" {
            continue;
        }
        if let Some(added) = environment
            .strip_prefix("merge(local.function_environment, {")
            .and_then(|rest| rest.strip_suffix("})"))
        {
            for pair in added.split(',') {
                let variable = pair.split('=').next().unwrap().trim().to_owned();
                own.entry(variable).or_default().push(name.clone());
            }
            continue;
        }
        // A function may leave out optional variables only (chat-review cannot name itself).
        assert!(
            environment.contains("in local.function_environment"),
            "{name}: {environment}"
        );
        for (variable, required) in &read {
            if environment.contains(&format!("\"{variable}\"")) {
                assert!(!required, "{name} leaves out the required {variable}");
            }
        }
    }
    for (name, required) in &read {
        assert!(
            shared.contains_key(name) || (!required && own.contains_key(name)),
            "{name} is read but not set (a variable one function adds must be optional)"
        );
    }
    for name in shared.keys().chain(own.keys()) {
        assert!(read.contains_key(name), "{name} is set but never read");
    }
    // The private keys' secret: the API signs, nothing else may even name it.
    assert_eq!(
        own.get("SIGNING_KEYS_SECRET_ARN"),
        Some(&vec!["api_function".to_owned()]),
        "{own:?}"
    );
    assert!(!shared.contains_key("SIGNING_KEYS_SECRET_ARN"));
}

/// Whether an action list grants a wildcard.
fn wildcard(actions: &Expression) -> bool {
    let strings: Vec<String> = match actions {
        Expression::Array(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    };
    strings.iter().any(|a| a == "\"*\"" || a.ends_with(":*\""))
}

/// Allow statements in `statement` blocks (policy documents and the function module's
/// `statements` variable) and in jsonencode'd policies; returns how many were checked.
fn check_body(body: &Body, place: &str) -> usize {
    let mut checked = 0;
    for block in body.blocks() {
        if block.identifier.as_str() == "statement" {
            let deny = attribute(&block.body, "effect").is_some_and(|e| text(e) == "\"Deny\"");
            if let Some(actions) = attribute(&block.body, "actions") {
                checked += 1;
                assert!(deny || !wildcard(actions), "{place}: {actions}");
            }
        }
        checked += check_body(&block.body, place);
    }
    for attribute in body.attributes() {
        checked += check_expression(&attribute.expr, place);
    }
    checked
}

fn check_expression(expr: &Expression, place: &str) -> usize {
    let mut checked = 0;
    match expr {
        Expression::Object(object) => {
            let field = |name: &str| {
                object
                    .iter()
                    .find(|(k, _)| k.to_string() == name)
                    .map(|(_, v)| v)
            };
            for key in ["actions", "Action"] {
                if let Some(actions) = field(key) {
                    checked += 1;
                    let deny = ["effect", "Effect"]
                        .iter()
                        .any(|e| field(e).is_some_and(|v| text(v) == "\"Deny\""));
                    assert!(deny || !wildcard(actions), "{place}: {actions}");
                }
            }
            for value in object.values() {
                checked += check_expression(value, place);
            }
        }
        Expression::Array(items) => {
            checked += items
                .iter()
                .map(|i| check_expression(i, place))
                .sum::<usize>()
        }
        Expression::FuncCall(call) => {
            checked += call
                .args
                .iter()
                .map(|a| check_expression(a, place))
                .sum::<usize>()
        }
        Expression::Parenthesis(inner) => checked += check_expression(inner, place),
        _ => {}
    }
    checked
}

#[test]
fn iam_statements_name_their_actions() {
    assert!(wildcard(&"[\"ivs:*\"]".parse::<Expression>().unwrap()));
    assert!(!wildcard(
        &"[\"ivs:GetChannel\"]".parse::<Expression>().unwrap()
    ));
    let mut checked = 0;
    for (path, body) in parse_dir(&repo().join("infra")) {
        checked += check_body(&body, &path.display().to_string());
    }
    assert!(checked >= 10, "found {checked} action lists");
}

/// A string literal's value.
fn literal(expr: &Expression) -> String {
    match expr {
        Expression::String(value) => value.clone(),
        other => panic!("expected a string literal, got {other}"),
    }
}

fn nested<'a>(body: &'a Body, kind: &'a str) -> &'a Body {
    &blocks(body, kind)
        .next()
        .unwrap_or_else(|| panic!("no {kind} block"))
        .body
}

/// The headers a response-headers policy of the hosting module adds, as the local stack names
/// them (but for what needs HTTPS), with its CSP whole.
fn cloudfront_headers(hosting: &Body, policy: &str) -> (BTreeMap<String, String>, String) {
    let policy = labelled(
        hosting,
        "resource",
        &["aws_cloudfront_response_headers_policy", policy],
    );
    let config = nested(&policy.body, "security_headers_config");
    let field = |block: &str, name: &str| {
        literal(attribute(nested(config, block), name).unwrap_or_else(|| panic!("{block}.{name}")))
    };
    assert!(
        nested(config, "strict_transport_security")
            .attributes()
            .any(|a| a.key.as_str() == "access_control_max_age_sec")
    );
    let csp = field("content_security_policy", "content_security_policy");
    let mut headers: BTreeMap<String, String> = [
        (
            "referrer-policy",
            field("referrer_policy", "referrer_policy"),
        ),
        ("x-content-type-options", "nosniff".to_owned()),
        ("x-xss-protection", "1; mode=block".to_owned()),
        (
            "content-security-policy",
            csp.split("; ")
                .filter(|directive| *directive != "upgrade-insecure-requests")
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    if blocks(config, "frame_options").next().is_some() {
        headers.insert(
            "x-frame-options".to_owned(),
            field("frame_options", "frame_option"),
        );
    }
    (headers, csp)
}

fn local_headers<N: AsRef<str>>(headers: &[(N, &str)]) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(name, value)| (name.as_ref().to_owned(), (*value).to_owned()))
        .collect()
}

/// The body of the hosting module's CloudFront distribution.
fn site_distribution(hosting: &Body) -> &Body {
    &labelled(
        hosting,
        "resource",
        &["aws_cloudfront_distribution", "site"],
    )
    .body
}

/// Both worlds send the app with the same security headers: what CloudFront's response-headers
/// policies add in the cloud, the local stack adds itself (but for what needs HTTPS). The app's
/// pages may not be framed; the embeddable player's may, by any site.
#[test]
fn the_local_stack_sends_the_security_headers_cloudfront_sends() {
    let hosting = body("infra/modules/hosting/main.tf");
    let (cloud, cloud_csp) = cloudfront_headers(&hosting, "security");
    assert_eq!(local_headers(&cloumer_local::site::SECURITY_HEADERS), cloud);
    assert!(cloud_csp.contains("upgrade-insecure-requests"));
    assert_eq!(cloud["x-frame-options"], "DENY");

    let (embed, embed_csp) = cloudfront_headers(&hosting, "embed");
    assert_eq!(local_headers(&cloumer_local::site::EMBED_HEADERS), embed);
    assert!(embed_csp.contains("upgrade-insecure-requests"));
    assert!(!embed.contains_key("x-frame-options"), "{embed:?}");
    assert!(embed_csp.starts_with("frame-ancestors *;"), "{embed_csp}");
    // The embed policy differs from the site's only in what framing needs.
    let mut without_framing = cloud.clone();
    without_framing.remove("x-frame-options");
    without_framing.insert(
        "content-security-policy".to_owned(),
        cloud["content-security-policy"].replace("frame-ancestors 'none'", "frame-ancestors *"),
    );
    assert_eq!(without_framing, embed);
}

/// The embeddable player's pages are the app's routes under the local stack's
/// `EMBEDDED_PAGES`: CloudFront's behaviour for them routes as the default one does (the same
/// function and origin) and sends the embed policy's headers; every other behaviour the site's.
#[test]
fn only_the_embedded_player_pages_may_be_framed_in_the_cloud() {
    let hosting = body("infra/modules/hosting/main.tf");
    let distribution = site_distribution(&hosting);
    let pattern = format!("{}*", cloumer_local::site::EMBEDDED_PAGES);
    let value = |body: &Body, name: &str| attribute(body, name).map(text).unwrap_or_default();
    let default = nested(distribution, "default_cache_behavior");
    let mut embeds = 0;
    for behaviour in blocks(distribution, "ordered_cache_behavior") {
        let policy = value(&behaviour.body, "response_headers_policy_id");
        if attribute(&behaviour.body, "path_pattern").map(literal) == Some(pattern.clone()) {
            embeds += 1;
            assert!(
                policy.contains("response_headers_policy.embed.id"),
                "{policy}"
            );
            for name in [
                "target_origin_id",
                "viewer_protocol_policy",
                "cache_policy_id",
            ] {
                assert_eq!(value(&behaviour.body, name), value(default, name), "{name}");
            }
            assert_eq!(
                value(
                    nested(&behaviour.body, "function_association"),
                    "function_arn"
                ),
                value(nested(default, "function_association"), "function_arn"),
            );
        } else {
            assert!(
                policy.contains("response_headers_policy.security.id"),
                "{policy}"
            );
        }
    }
    assert_eq!(embeds, 1);
    assert!(
        value(default, "response_headers_policy_id")
            .contains("response_headers_policy.security.id")
    );
}

/// Runs a CloudFront Function's code from `infra/modules/hosting/functions/` on `event` with
/// Node (the functions are plain ES5; CloudFront's runtime only adds what they do not use).
fn cloudfront_function(name: &str, event: serde_json::Value) -> serde_json::Value {
    cloudfront_function_routing(name, event).0
}

/// As [`cloudfront_function`], with the origin the function chose for the request through
/// CloudFront's `cloudfront` module (`cf.selectRequestOriginById`), if it chose one. Node has
/// no such module: the import is replaced by a stand-in with that one method, which records
/// the choice; any other use of the module fails the run.
fn cloudfront_function_routing(
    name: &str,
    event: serde_json::Value,
) -> (serde_json::Value, Option<String>) {
    const IMPORT: &str = "import cf from 'cloudfront';";
    let code =
        std::fs::read_to_string(repo().join(format!("infra/modules/hosting/functions/{name}.js")))
            .unwrap();
    assert!(
        !code.contains("'cloudfront'") || code.starts_with(IMPORT),
        "{name}: CloudFront documents the module's import as the code's first line"
    );
    let code = code.replace(
        IMPORT,
        "var cf = { selectRequestOriginById: function (id) { origin = id; } };",
    );
    let script = format!(
        "var origin = null;\n{code}\nvar out = handler({event});\nconsole.log(JSON.stringify({{ out: out, origin: origin }}));"
    );
    let output = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("node runs (cargo xtask setup installs it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let origin = result["origin"].as_str().map(str::to_owned);
    (result["out"].clone(), origin)
}

/// The site's default behaviour: files go to the bucket as asked; a route a shared link may
/// name goes to the API's origin unchanged (it answers with the link's card); the app's other
/// routes get index.html from the bucket. The origin the function picks is one the
/// distribution has, pointed at the API.
#[test]
fn shared_links_pages_come_from_the_api_and_other_routes_from_index_html() {
    use serde_json::json;

    let route = |uri: &str| {
        let (request, origin) =
            cloudfront_function_routing("spa-routes", json!({ "request": { "uri": uri } }));
        (request["uri"].as_str().unwrap().to_owned(), origin)
    };
    for shared in [
        "/hana_music",
        "/hana_music/",
        "/clips/clAbc123",
        "/videos/vdAbc123",
        "/videos/rec-a%2Fb",
        // One segment is a handle to the function, which finds no such channel here.
        "/dashboard",
        "/clips",
    ] {
        assert_eq!(route(shared), (shared.to_owned(), Some("api".to_owned())));
    }
    // The embedded player's pages too (through their own behaviour, with the same function).
    for app_route in [
        "/",
        "/dashboard/stream",
        "/a/b/c",
        "/clips/a/b",
        "/embed/hana_music",
        "/embed/clips/clAbc123",
        "/embed/videos/rec-a%2Fb",
    ] {
        assert_eq!(
            route(app_route),
            ("/index.html".to_owned(), None),
            "{app_route}"
        );
    }
    for file in [
        "/cloumer-web-0123.wasm",
        "/ivs/v1/123/abc/media/hls/720p30/1.ts",
        "/hana.music",
    ] {
        assert_eq!(route(file), (file.to_owned(), None), "{file}");
    }

    let hosting = body("infra/modules/hosting/main.tf");
    let distribution = site_distribution(&hosting);
    let api = blocks(distribution, "origin")
        .find(|origin| attribute(&origin.body, "origin_id").map(text).as_deref() == Some("\"api\""))
        .expect("the distribution has the API's origin");
    assert_eq!(
        attribute(&api.body, "domain_name").map(text).as_deref(),
        Some("var.api_domain")
    );
    let prod = body("infra/environments/prod/main.tf");
    let hosting_module = labelled(&prod, "module", &["hosting"]);
    assert!(
        attribute(&hosting_module.body, "api_domain")
            .map(text)
            .is_some_and(|domain| domain.contains("module.api.url")),
        "the hosting module is given the API's host name"
    );
    // API Gateway routes those paths to the function, which may be invoked for them.
    let api_module = body("infra/modules/api/main.tf");
    let pages = labelled(
        &api_module,
        "resource",
        &["aws_apigatewayv2_route", "pages"],
    );
    assert_eq!(
        attribute(&pages.body, "route_key").map(text).as_deref(),
        Some("\"ANY /{proxy+}\"")
    );
    let permission = labelled(&api_module, "resource", &["aws_lambda_permission", "pages"]);
    assert!(
        attribute(&permission.body, "source_arn")
            .map(text)
            .is_some_and(|arn| arn.ends_with("/*/*/{proxy+}\""))
    );
}

/// A grant (`Policy=…&Signature=…&Key-Pair-Id=…`) as CloudFront Functions see its query, and
/// as the policy it carries.
fn signed_query(
    grant: &str,
) -> (
    serde_json::Map<String, serde_json::Value>,
    cloumer_tokens::SignedPolicy,
) {
    let mut query = serde_json::Map::new();
    let mut signed = cloumer_tokens::SignedPolicy {
        policy: String::new(),
        signature: String::new(),
        key_pair_id: String::new(),
    };
    for pair in grant.split('&') {
        let (name, value) = pair.split_once('=').unwrap();
        query.insert(name.to_owned(), serde_json::json!({ "value": value }));
        match name {
            "Policy" => signed.policy = value.to_owned(),
            "Signature" => signed.signature = value.to_owned(),
            "Key-Pair-Id" => signed.key_pair_id = value.to_owned(),
            other => panic!("unexpected parameter {other}"),
        }
    }
    (query, signed)
}

/// The cloud's chain for a private recording, end to end but for CloudFront itself (played
/// here by the verifier the local stack uses): the API's grant opens the playlist URL as the
/// viewer asks for it and as the request function rewrites it for the bucket; the response
/// function keeps the signature in cookies that open the recording's other files, and only
/// this channel's.
#[test]
fn a_private_recording_opens_through_cloudfront_with_the_apis_grant() {
    use cloumer_domain::channel::VideoChannel;
    use cloumer_domain::ids::ChannelId;
    use cloumer_domain::ports::RecordingAccess;
    use cloumer_tokens::{CloudFrontVerifier, SignedPolicy};
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    use serde_json::json;

    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let private = key.to_pkcs1_pem(LineEnding::LF).unwrap();
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let site = "https://d111111abcdef8.cloudfront.net";
    let access =
        cloumer_aws::cloudfront::CloudFrontRecordingAccess::new("K2JCJMDEHXQW5F", &private, site)
            .unwrap();
    let cloudfront = CloudFrontVerifier::from_public_pem("K2JCJMDEHXQW5F", &public).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let video = VideoChannel {
        arn: "arn:aws:ivs:ap-northeast-2:123456789012:channel/AbCdEfGhIjKl".into(),
        ingest_server: String::new(),
        playback_url: String::new(),
    };
    let grant = access
        .grant(
            &ChannelId::parse("chAbc").unwrap(),
            &video,
            now + time::Duration::hours(6),
        )
        .unwrap();
    let recording =
        "/private-recordings/ivs/v1/123456789012/AbCdEfGhIjKl/2026/11/22/20/12/j8Z9O91ndcVs";
    let playlist = format!("{recording}/media/hls/master.m3u8");
    let (query, signed) = signed_query(&grant);

    let request = cloudfront_function(
        "private-recordings-request",
        json!({ "request": { "uri": playlist, "querystring": query } }),
    );
    let bucket_uri = request["uri"].as_str().unwrap();
    assert_eq!(
        bucket_uri,
        playlist.trim_start_matches("/private-recordings")
    );
    for uri in [playlist.as_str(), bucket_uri] {
        assert!(
            cloudfront.allows(&signed, &format!("{site}{uri}"), now),
            "{uri}"
        );
    }
    assert!(!cloudfront.allows(
        &signed,
        &format!("{site}{}", playlist.replace("AbCdEfGhIjKl", "OtherChannel")),
        now
    ));

    let response = cloudfront_function(
        "private-recordings-response",
        json!({
            "request": { "uri": bucket_uri, "querystring": query },
            "response": { "statusCode": 200, "cookies": {} },
        }),
    );
    let cookies = &response["cookies"];
    let cookie = |name: &str| cookies[name]["value"].as_str().unwrap().to_owned();
    let from_cookies = SignedPolicy {
        policy: cookie("CloudFront-Policy"),
        signature: cookie("CloudFront-Signature"),
        key_pair_id: cookie("CloudFront-Key-Pair-Id"),
    };
    let segment = format!("{recording}/media/hls/720p30/12.ts");
    assert!(cloudfront.allows(&from_cookies, &format!("{site}{segment}"), now));
    let attributes = cookies["CloudFront-Signature"]["attributes"]
        .as_str()
        .unwrap();
    let scope = attributes
        .split("; ")
        .find_map(|a| a.strip_prefix("Path="))
        .unwrap();
    assert_eq!(
        scope,
        "/private-recordings/ivs/v1/123456789012/AbCdEfGhIjKl/"
    );
    assert!(
        segment.starts_with(scope),
        "the browser sends them for the segments"
    );
    assert!(attributes.contains("Secure") && attributes.contains("HttpOnly"));

    // A refused request (CloudFront's own 403) or an unsigned one sets nothing.
    for (status, query) in [(403, query.clone()), (200, serde_json::Map::new())] {
        let response = cloudfront_function(
            "private-recordings-response",
            json!({
                "request": { "uri": bucket_uri, "querystring": query },
                "response": { "statusCode": status, "cookies": {} },
            }),
        );
        assert_eq!(response["cookies"], json!({}), "{status}");
    }
}

/// An uploaded video's files through the same CloudFront behaviour: the grant the video's
/// adapter signs opens its multivariant playlist, and the response function's cookies open its
/// renditions and segments (the player's relative requests), for that video only.
#[test]
fn an_uploaded_video_opens_through_cloudfront_with_its_grant() {
    use cloumer_aws::mediaconvert::{outputs, video_grant};
    use cloumer_domain::ids::VideoId;
    use cloumer_tokens::{CloudFrontSigner, CloudFrontVerifier, SignedPolicy};
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    use serde_json::json;

    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let private = key.to_pkcs1_pem(LineEnding::LF).unwrap();
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let site = "https://d111111abcdef8.cloudfront.net";
    let signer = CloudFrontSigner::from_pem("K2JCJMDEHXQW5F", &private).unwrap();
    let cloudfront = CloudFrontVerifier::from_public_pem("K2JCJMDEHXQW5F", &public).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let video = VideoId::parse("vdJeju").unwrap();
    let grant = video_grant(&signer, site, &video, now + time::Duration::hours(6)).unwrap();
    let playlist_url = outputs(&video, site).playlist_url;
    let playlist = playlist_url.trim_start_matches(site).to_owned();
    let (query, signed) = signed_query(&grant);
    let request = cloudfront_function(
        "private-recordings-request",
        json!({ "request": { "uri": playlist, "querystring": query } }),
    );
    let bucket_uri = request["uri"].as_str().unwrap();
    assert_eq!(bucket_uri, "/video-files/vdJeju/index.m3u8");
    for uri in [playlist.as_str(), bucket_uri] {
        assert!(
            cloudfront.allows(&signed, &format!("{site}{uri}"), now),
            "{uri}"
        );
    }
    assert!(!cloudfront.allows(
        &signed,
        &format!("{site}{}", playlist.replace("vdJeju", "vdOther")),
        now
    ));
    let response = cloudfront_function(
        "private-recordings-response",
        json!({
            "request": { "uri": bucket_uri, "querystring": query },
            "response": { "statusCode": 200, "cookies": {} },
        }),
    );
    let attributes = response["cookies"]["CloudFront-Signature"]["attributes"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        attributes.contains("Path=/private-recordings/video-files/vdJeju/;"),
        "{response}"
    );
    let segment = "/private-recordings/video-files/vdJeju/index_720p_00001.ts";
    let from_cookies = SignedPolicy {
        policy: response["cookies"]["CloudFront-Policy"]["value"]
            .as_str()
            .unwrap()
            .into(),
        signature: response["cookies"]["CloudFront-Signature"]["value"]
            .as_str()
            .unwrap()
            .into(),
        key_pair_id: response["cookies"]["CloudFront-Key-Pair-Id"]["value"]
            .as_str()
            .unwrap()
            .into(),
    };
    assert!(cloudfront.allows(&from_cookies, &format!("{site}{segment}"), now));
}

/// Emote images: only the API writes them, only under `emotes/` of the public recordings bucket
/// (never over a recording), and CloudFront serves that prefix from that bucket, as the local
/// stack serves `/emotes/*` from its data directory.
#[test]
fn emotes_are_written_by_the_api_under_their_prefix_and_served_from_the_public_bucket() {
    let root = body("infra/environments/prod/main.tf");
    for (name, module) in function_modules(&root) {
        let statements = attribute(module, "statements")
            .map(text)
            .unwrap_or_default();
        let environment = text(attribute(module, "environment").expect("environment"));
        if name == "api_function" {
            assert!(
                statements.contains(r#"actions = ["s3:PutObject", "s3:DeleteObject"]"#),
                "{statements}"
            );
            assert!(
                statements.contains(
                    r#"resources = ["${module.streaming.recordings_buckets.public.arn}/emotes/*"]"#
                ),
                "{statements}"
            );
            assert!(
                environment.contains(
                    "PUBLIC_FILES_BUCKET = module.streaming.recordings_buckets.public.id"
                ),
                "{environment}"
            );
        } else {
            assert!(
                !statements.contains("s3:PutObject"),
                "{name} may write S3 objects"
            );
            assert!(!environment.contains("PUBLIC_FILES_BUCKET"), "{name}");
        }
    }
    let hosting = body("infra/modules/hosting/main.tf");
    let distribution = site_distribution(&hosting);
    let emotes = blocks(distribution, "ordered_cache_behavior")
        .find(|b| attribute(&b.body, "path_pattern").map(literal).as_deref() == Some("/emotes/*"))
        .expect("a /emotes/* behaviour");
    assert_eq!(
        attribute(&emotes.body, "target_origin_id")
            .map(literal)
            .as_deref(),
        Some("recordings")
    );
    // CloudFront may read them: the public recordings bucket's policy names the prefix (S3
    // answers 403 for what it does not), the private one's does not.
    let buckets: String = text(&locals(&hosting)["buckets"])
        .split_whitespace()
        .collect();
    assert!(
        buckets.contains(
            r#"readable=key=="public"?["${bucket.arn}/ivs/*","${bucket.arn}/emotes/*"]:["${bucket.arn}/ivs/*"]"#
        ),
        "{buckets}"
    );
    let methods: String = text(attribute(&emotes.body, "allowed_methods").unwrap())
        .split_whitespace()
        .collect();
    assert_eq!(methods, r#"["GET","HEAD"]"#, "read only");
}

/// Deleting a past broadcast: only the API removes recording files, only under `ivs/` of the
/// two recordings buckets (never the emotes beside them), and may list only that prefix; the
/// function module turns a statement's conditions into the policy's.
#[test]
fn only_the_api_deletes_recording_files_and_only_under_their_prefix() {
    let root = body("infra/environments/prod/main.tf");
    for (name, module) in function_modules(&root) {
        let statements: String = attribute(module, "statements")
            .map(text)
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if name == "api_function" {
            for expected in [
                r#"sid="DeleteRecordingFiles",actions=["s3:DeleteObject"],resources=[forbucketinmodule.streaming.recordings_buckets:"${bucket.arn}/ivs/*"]"#,
                r#"sid="ListRecordingFiles",actions=["s3:ListBucket"],resources=[forbucketinmodule.streaming.recordings_buckets:bucket.arn],conditions=[{test="StringLike",variable="s3:prefix",values=["ivs/v1/*"]}]"#,
            ] {
                assert!(statements.contains(expected), "{statements}");
            }
        } else {
            for action in ["s3:DeleteObject", "s3:ListBucket"] {
                assert!(!statements.contains(action), "{name} has {action}");
            }
        }
    }
    let function: String = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../infra/modules/function/main.tf"),
    )
    .unwrap()
    .split_whitespace()
    .collect();
    assert!(
        function.contains(r#"dynamic"condition"{for_each=statement.value.conditions"#),
        "{function}"
    );
}

/// The functions that put notifications on users' bells write them with `BatchWriteItem` (the
/// DynamoDB adapter's `put_notifications`); without the action a go-live or a ready video
/// reaches nobody's bell, and only the logs say so.
#[test]
fn the_functions_that_notify_users_may_write_notifications_in_batches() {
    let root = body("infra/environments/prod/main.tf");
    let notify_users = locals(&root)
        .remove("notify_users")
        .map(|expr| text(&expr).split_whitespace().collect::<String>())
        .unwrap_or_default();
    assert!(
        notify_users.contains(r#"actions=["dynamodb:BatchWriteItem"]"#),
        "{notify_users}"
    );
    let modules = function_modules(&root);
    for name in ["stream_events", "video_events"] {
        let statements = attribute(modules[name], "statements")
            .map(text)
            .unwrap_or_default();
        assert!(
            statements.contains("local.notify_users"),
            "{name}: {statements}"
        );
    }
}

/// Deleting an account (`DELETE /api/v1/me`, in the api function) deletes the channel's IVS
/// channel and chat room and erases its records a partition at a time with `BatchWriteItem`:
/// without these the request fails half way in the cloud alone (the local stack has no IAM).
#[test]
fn the_api_may_delete_an_accounts_channel_room_and_records() {
    let root = body("infra/environments/prod/main.tf");
    let modules = function_modules(&root);
    let statements: String = attribute(modules["api_function"], "statements")
        .map(text)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    for expected in [
        r#"sid="DeleteAccountChannels",actions=["ivs:DeleteChannel","ivschat:DeleteRoom"],resources=[local.channel_arns,module.streaming.room_arns]"#,
        r#"sid="EraseAccountRecords",actions=["dynamodb:BatchWriteItem"],resources=[module.data.table_arn]"#,
    ] {
        assert!(statements.contains(expected), "{statements}");
    }
    for (name, module) in &modules {
        let statements = attribute(module, "statements")
            .map(text)
            .unwrap_or_default();
        if *name != "api_function" {
            for action in ["ivs:DeleteChannel", "ivschat:DeleteRoom"] {
                assert!(!statements.contains(action), "{name} has {action}");
            }
        }
    }
}

/// Staff are the members of the user pool group the API looks for in tokens: a group by any
/// other name would leave the cloud without anyone who may settle reports.
#[test]
fn the_user_pool_has_the_staff_group_the_api_reads() {
    let auth = body("infra/modules/auth/main.tf");
    let group = labelled(&auth, "resource", &["aws_cognito_user_group", "staff"]);
    let name = attribute(&group.body, "name").map(text).unwrap_or_default();
    assert_eq!(name.trim_matches('"'), cloumer_tokens::STAFF_GROUP);
    let pool = attribute(&group.body, "user_pool_id")
        .map(text)
        .unwrap_or_default();
    assert_eq!(pool, "aws_cognito_user_pool.users.id");
}

/// A suspended channel's broadcast is stopped when IVS says it started, by the function that
/// hears it: without the grant the stop fails and the channel stays on air.
#[test]
fn stream_events_may_stop_a_suspended_channels_broadcast() {
    let root = body("infra/environments/prod/main.tf");
    let stream_events = labelled(&root, "module", &["stream_events"]);
    let statements: String = attribute(&stream_events.body, "statements")
        .map(text)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert!(
        statements.contains(r#"sid="StopSuspendedBroadcasts",actions=["ivs:StopStream"],resources=[local.channel_arns]"#),
        "{statements}"
    );
}

/// Stream summaries need the minute's tick in the cloud as the local stack's timer gives it:
/// an EventBridge schedule invoking stream-events (allowed to by that rule alone), which may
/// list IVS's live streams for their viewer counts. Without any of it the summaries stay empty
/// in the cloud, and only their absence says so.
#[test]
fn stream_events_samples_audiences_every_minute_and_may_list_live_streams() {
    let streaming = body("infra/modules/streaming/main.tf");
    let rule = labelled(
        &streaming,
        "resource",
        &["aws_cloudwatch_event_rule", "audience_samples"],
    );
    assert_eq!(
        attribute(&rule.body, "schedule_expression").map(literal),
        Some("rate(1 minute)".to_owned())
    );
    let target = labelled(
        &streaming,
        "resource",
        &["aws_cloudwatch_event_target", "audience_samples"],
    );
    assert_eq!(
        attribute(&target.body, "arn").map(text),
        Some("var.stream_events_function_arn".to_owned())
    );
    let permission = labelled(
        &streaming,
        "resource",
        &["aws_lambda_permission", "audience_samples"],
    );
    assert_eq!(
        attribute(&permission.body, "source_arn").map(text),
        Some("aws_cloudwatch_event_rule.audience_samples.arn".to_owned())
    );
    assert_eq!(
        attribute(&permission.body, "function_name").map(text),
        Some("var.stream_events_function_name".to_owned())
    );

    let root = body("infra/environments/prod/main.tf");
    let modules = function_modules(&root);
    let statements: String = attribute(modules["stream_events"], "statements")
        .map(text)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert!(
        statements.contains(r#"actions=["ivs:ListStreams"]"#),
        "{statements}"
    );
}
