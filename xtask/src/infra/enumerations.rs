//! Allowed values for enumerated arguments, from AWS's own API models.
//!
//! Terraform provider schemas carry no enumerations (the aws provider validates them in Go), so
//! for arguments that go straight to an enumerated API field we take the values from botocore's
//! service models (PyPI), which the Python tools already install. The table says which argument
//! feeds which API shape; an entry naming an argument the schema lacks is an error, so the table
//! cannot rot silently.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use super::schema::{Argument, Nested, ProviderSchema};

/// (resource type, argument path with `.` between nested blocks, botocore service, shape).
#[rustfmt::skip]
const ENUMERATIONS: &[(&str, &str, &str, &str)] = &[
    ("aws_lambda_function", "runtime", "lambda", "Runtime"),
    ("aws_lambda_function", "architectures", "lambda", "Architecture"),
    ("aws_dynamodb_table", "billing_mode", "dynamodb", "BillingMode"),
    ("aws_dynamodb_table", "attribute.type", "dynamodb", "ScalarAttributeType"),
    ("aws_dynamodb_table", "global_secondary_index.projection_type", "dynamodb", "ProjectionType"),
    ("aws_apigatewayv2_api", "protocol_type", "apigatewayv2", "ProtocolType"),
    ("aws_apigatewayv2_integration", "integration_type", "apigatewayv2", "IntegrationType"),
    ("aws_cloudfront_distribution", "price_class", "cloudfront", "PriceClass"),
    ("aws_cloudfront_distribution", "default_cache_behavior.viewer_protocol_policy", "cloudfront", "ViewerProtocolPolicy"),
    ("aws_cloudfront_distribution", "ordered_cache_behavior.viewer_protocol_policy", "cloudfront", "ViewerProtocolPolicy"),
    ("aws_cloudfront_distribution", "default_cache_behavior.function_association.event_type", "cloudfront", "EventType"),
    ("aws_cloudfront_distribution", "ordered_cache_behavior.function_association.event_type", "cloudfront", "EventType"),
    ("aws_cloudfront_distribution", "restrictions.geo_restriction.restriction_type", "cloudfront", "GeoRestrictionType"),
    ("aws_cloudfront_function", "runtime", "cloudfront", "FunctionRuntime"),
    ("aws_cloudfront_origin_access_control", "signing_behavior", "cloudfront", "OriginAccessControlSigningBehaviors"),
    ("aws_cloudfront_origin_access_control", "signing_protocol", "cloudfront", "OriginAccessControlSigningProtocols"),
    ("aws_cloudfront_origin_access_control", "origin_access_control_origin_type", "cloudfront", "OriginAccessControlOriginTypes"),
    ("aws_cloudfront_response_headers_policy", "security_headers_config.referrer_policy.referrer_policy", "cloudfront", "ReferrerPolicyList"),
    ("aws_s3_bucket_ownership_controls", "rule.object_ownership", "s3", "ObjectOwnership"),
    ("aws_s3_bucket_server_side_encryption_configuration", "rule.apply_server_side_encryption_by_default.sse_algorithm", "s3", "ServerSideEncryption"),
    ("aws_s3_bucket_versioning", "versioning_configuration.status", "s3", "BucketVersioningStatus"),
    ("aws_s3_bucket_lifecycle_configuration", "rule.status", "s3", "ExpirationStatus"),
    ("aws_cognito_user_pool_client", "prevent_user_existence_errors", "cognito-idp", "PreventUserExistenceErrorTypes"),
    ("aws_cognito_user_pool_client", "token_validity_units.refresh_token", "cognito-idp", "TimeUnitsType"),
    ("aws_cloudwatch_metric_alarm", "comparison_operator", "cloudwatch", "ComparisonOperator"),
    ("aws_cloudwatch_metric_alarm", "statistic", "cloudwatch", "Statistic"),
    ("aws_cloudwatch_metric_alarm", "metric_query.metric.stat", "cloudwatch", "Statistic"),
];

/// Fills in `values` on the aws schema from botocore's models in `data` (`botocore/data`).
pub fn apply(schema: &mut ProviderSchema, data: &Path) -> Result<()> {
    for &(resource, path, service, shape) in ENUMERATIONS {
        // Not every API field is an enumeration in every model version; an entry must be one.
        let values = enumeration(data, service, shape)?;
        let Some(block) = schema.resources.get_mut(resource) else {
            bail!("enumeration table: {resource} is not in {}", schema.source);
        };
        let argument = argument_at(&mut block.arguments, path)
            .with_context(|| format!("enumeration table: {resource} has no {path}"))?;
        argument.values = values;
    }
    Ok(())
}

fn argument_at<'a>(
    arguments: &'a mut std::collections::BTreeMap<String, Argument>,
    path: &str,
) -> Option<&'a mut Argument> {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let argument = arguments.get_mut(head)?;
    match rest {
        None => Some(argument),
        Some(rest) => match &mut argument.nested {
            Some(Nested::Block(block) | Nested::Object(block)) => {
                argument_at(&mut block.arguments, rest)
            }
            _ => None,
        },
    }
}

/// The enumeration of `shape` in the newest model of `service`.
fn enumeration(data: &Path, service: &str, shape: &str) -> Result<Vec<String>> {
    let dir = data.join(service);
    let newest = fs::read_dir(&dir)
        .with_context(|| format!("botocore has no model for {service}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("service-2.json.gz").exists())
        .max()
        .with_context(|| format!("botocore has no service-2 model for {service}"))?;
    let mut text = String::new();
    flate2::read::GzDecoder::new(fs::File::open(newest.join("service-2.json.gz"))?)
        .read_to_string(&mut text)?;
    let model: Value = serde_json::from_str(&text)?;
    let values: Vec<String> = model["shapes"][shape]["enum"]
        .as_array()
        .with_context(|| format!("botocore {service}: {shape} is not an enumeration"))?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    Ok(values)
}
