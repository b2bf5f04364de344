//! Access to private recordings, as CloudFront gives it in the cloud: the API hands allowed
//! viewers URLs with a signed policy for the channel's private recordings
//! ([`LocalRecordingAccess`]); the file server checks the policy ([`RecordingGate`]) and, like
//! the CloudFront Function on the cloud's `/private-recordings/*` behaviour, turns a signed URL
//! into cookies so the player's relative requests (renditions, segments) carry it too.

use cloumer_domain::channel::VideoChannel;
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::RecordingAccess;
use cloumer_tokens::{CloudFrontSigner, CloudFrontVerifier, SignedPolicy};
use time::OffsetDateTime;

/// The id of the local key, as CloudFront names a public key in a key group.
pub const KEY_PAIR_ID: &str = "KLOCALRECORDINGS";

/// Signs a policy covering every file of a channel's private recordings.
pub struct LocalRecordingAccess {
    signer: CloudFrontSigner,
    base_url: String,
}

impl LocalRecordingAccess {
    pub fn new(private_pem: &str, base_url: &str) -> PortResult<Self> {
        Ok(Self {
            signer: CloudFrontSigner::from_pem(KEY_PAIR_ID, private_pem)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }
}

impl RecordingAccess for LocalRecordingAccess {
    fn grant(
        &self,
        channel: &ChannelId,
        _video: &VideoChannel,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        // `*` before the root: recordings stored before private ones had their own root are
        // served under `/recordings/` and must open too.
        let resource = format!("{}/*recordings/{channel}/*", self.base_url);
        Ok(self.signer.sign(&resource, expires_at)?.query())
    }
}

const COOKIES: [&str; 3] = [
    "CloudFront-Policy",
    "CloudFront-Signature",
    "CloudFront-Key-Pair-Id",
];

/// Checks requests for private recordings' files.
pub struct RecordingGate {
    verifier: CloudFrontVerifier,
    base_url: String,
}

/// A request that may read the file: with the cookies to set when it came with a signed URL.
pub struct Admitted {
    pub set_cookies: Vec<String>,
}

impl RecordingGate {
    pub fn new(public_pem: &str, base_url: &str) -> PortResult<Self> {
        Ok(Self {
            verifier: CloudFrontVerifier::from_public_pem(KEY_PAIR_ID, public_pem)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// `path` is the request's path; `query` its signing parameters, `cookie` its Cookie header.
    /// A signed URL wins over cookies, as with CloudFront.
    pub fn admit(
        &self,
        path: &str,
        query: &SigningQuery,
        cookie: Option<&str>,
        now: OffsetDateTime,
    ) -> Option<Admitted> {
        let url = format!("{}{path}", self.base_url);
        if let (Some(policy), Some(signature), Some(key_pair_id)) =
            (&query.policy, &query.signature, &query.key_pair_id)
        {
            let signed = SignedPolicy {
                policy: policy.clone(),
                signature: signature.clone(),
                key_pair_id: key_pair_id.clone(),
            };
            if !self.verifier.allows(&signed, &url, now) {
                return None;
            }
            let scope = cookie_path(path);
            let set_cookies = COOKIES
                .iter()
                .zip([&signed.policy, &signed.signature, &signed.key_pair_id])
                .map(|(name, value)| {
                    format!("{name}={value}; Path={scope}; HttpOnly; SameSite=Lax")
                })
                .collect();
            return Some(Admitted { set_cookies });
        }
        let jar = cookies(cookie.unwrap_or_default());
        let value = |name: &str| {
            jar.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        };
        let signed = SignedPolicy {
            policy: value(COOKIES[0])?,
            signature: value(COOKIES[1])?,
            key_pair_id: value(COOKIES[2])?,
        };
        self.verifier
            .allows(&signed, &url, now)
            .then_some(Admitted {
                set_cookies: Vec::new(),
            })
    }
}

/// The signing parameters of a signed URL.
#[derive(Default, serde::Deserialize)]
pub struct SigningQuery {
    #[serde(rename = "Policy")]
    pub policy: Option<String>,
    #[serde(rename = "Signature")]
    pub signature: Option<String>,
    #[serde(rename = "Key-Pair-Id")]
    pub key_pair_id: Option<String>,
}

/// `/<root>/<channel>/`: the cookies go with every request for the channel's recordings.
fn cookie_path(path: &str) -> String {
    let mut parts = path.trim_start_matches('/').splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(root), Some(channel)) => format!("/{root}/{channel}/"),
        _ => "/".to_owned(),
    }
}

fn cookies(header: &str) -> Vec<(&str, &str)> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_scoped_to_the_channels_recordings() {
        assert_eq!(
            cookie_path("/private-recordings/chA/rec-1/index.m3u8"),
            "/private-recordings/chA/"
        );
        assert_eq!(
            cookies("a=1; CloudFront-Policy=x_y; b"),
            vec![("a", "1"), ("CloudFront-Policy", "x_y")]
        );
    }
}
