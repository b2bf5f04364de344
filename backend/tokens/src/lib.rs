//! JWTs for Cloumer.
//!
//! - [`JwtVerifier`]: checks Cognito-shaped RS256 ID and access tokens against a JSON Web Key Set
//!   (Cognito's, fetched over HTTPS in the cloud; the local identity stand-in's, in process).
//! - [`Es384PlaybackSigner`] / [`PlaybackTokenVerifier`]: IVS playback-authorization tokens for
//!   private channels (the local HLS server verifies them the way IVS does).
//! - [`CloudFrontSigner`] / [`CloudFrontVerifier`]: CloudFront signed policies, for private
//!   recordings (the local stack checks them the way CloudFront does).

mod cloudfront;
mod identity;
mod playback;
mod verified;

pub use cloudfront::{CloudFrontSigner, CloudFrontVerifier, SignedPolicy};
pub use identity::{JwksSource, JwtVerifier, STAFF_GROUP, StaticJwks};
pub use jsonwebtoken::jwk::JwkSet;
pub use playback::{Es384PlaybackSigner, PlaybackTokenClaims, PlaybackTokenVerifier};
