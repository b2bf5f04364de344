//! Types of the Cloumer HTTP API (`/api/v1/...`), shared by the browser app and the backend.
//!
//! Only data and serde here: no behaviour, no framework types. Field names are camelCase on the wire.

use serde::{Deserialize, Serialize};

/// Body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Stable, machine-readable code such as `not_found` or `invalid_handle`.
    pub code: String,
    /// Human-readable explanation, safe to show to the user.
    pub message: String,
}

/// `GET /api/health`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub version: String,
    /// `local` for the embedded stack, `aws` in the cloud.
    pub environment: String,
}
