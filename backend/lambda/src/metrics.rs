//! Metrics in CloudWatch's embedded metric format (EMF): one JSON log line per observation, which
//! CloudWatch Logs turns into metrics in the `Cloumer` namespace without any API call (no added
//! latency, no `cloudwatch:PutMetricData` permission). The dashboard and alarms in
//! `infra/modules/observability` read these names.
//!
//! Dimensions are few and bounded on purpose: each distinct combination is a billed custom
//! metric, so routes are the router's patterns (never raw paths) and statuses are classes.

use std::io::Write;

use serde_json::{Map, Value, json};

pub const NAMESPACE: &str = "Cloumer";

#[derive(Clone, Copy, Debug)]
pub enum Unit {
    Count,
    Milliseconds,
}

impl Unit {
    fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "Count",
            Unit::Milliseconds => "Milliseconds",
        }
    }
}

/// The EMF document for one observation.
pub fn document(
    timestamp_ms: u64,
    dimensions: &[(&str, &str)],
    metrics: &[(&str, f64, Unit)],
) -> Value {
    let mut root = Map::new();
    root.insert(
        "_aws".into(),
        json!({
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [dimensions.iter().map(|(name, _)| *name).collect::<Vec<_>>()],
                "Metrics": metrics.iter()
                    .map(|(name, _, unit)| json!({"Name": name, "Unit": unit.as_str()}))
                    .collect::<Vec<_>>(),
            }],
        }),
    );
    for (name, value) in dimensions {
        root.insert((*name).into(), Value::from(*value));
    }
    for (name, value, _) in metrics {
        root.insert((*name).into(), Value::from(*value));
    }
    Value::Object(root)
}

/// Writes one observation to stdout, where Lambda sends it to CloudWatch Logs.
pub fn record(dimensions: &[(&str, &str)], metrics: &[(&str, f64, Unit)]) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let line = document(now, dimensions, metrics).to_string();
    // One write of a whole line: never interleaved with the JSON logs on the same stream.
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// `2xx`, `4xx`, `5xx`: what the alarms and the dashboard need, at a bounded metric count.
pub fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_observation_is_an_emf_document_cloudwatch_can_extract() {
        let doc = document(
            1_700_000_000_000,
            &[("Route", "GET /api/v1/directory"), ("StatusClass", "2xx")],
            &[
                ("Requests", 1.0, Unit::Count),
                ("Latency", 2.5, Unit::Milliseconds),
            ],
        );
        assert_eq!(
            doc,
            json!({
                "_aws": {
                    "Timestamp": 1_700_000_000_000u64,
                    "CloudWatchMetrics": [{
                        "Namespace": "Cloumer",
                        "Dimensions": [["Route", "StatusClass"]],
                        "Metrics": [
                            {"Name": "Requests", "Unit": "Count"},
                            {"Name": "Latency", "Unit": "Milliseconds"}
                        ]
                    }]
                },
                "Route": "GET /api/v1/directory",
                "StatusClass": "2xx",
                "Requests": 1.0,
                "Latency": 2.5
            })
        );
    }

    #[test]
    fn statuses_fall_into_classes() {
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(429), "4xx");
        assert_eq!(status_class(503), "5xx");
        assert_eq!(status_class(999), "5xx");
    }
}
