//! Access to private recordings through CloudFront: a signed policy (custom policy, RSA-SHA1)
//! covering every file IVS recorded for one channel into the private bucket, which CloudFront's
//! `/private-recordings/*` behaviour serves only to requests signed with a key of its trusted key
//! group (see `infra/modules/hosting`).

use cloumer_domain::channel::VideoChannel;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::RecordingAccess;
use cloumer_tokens::CloudFrontSigner;
use time::OffsetDateTime;

pub struct CloudFrontRecordingAccess {
    signer: CloudFrontSigner,
    base_url: String,
}

impl CloudFrontRecordingAccess {
    /// `base_url` is the distribution's URL (`RECORDINGS_BASE_URL`).
    pub fn new(key_pair_id: &str, private_pem: &str, base_url: &str) -> PortResult<Self> {
        Ok(Self {
            signer: CloudFrontSigner::from_pem(key_pair_id, private_pem)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }
}

/// IVS writes a channel's recordings under `ivs/v1/<account>/<channel resource id>/`.
fn recordings_prefix(video: &VideoChannel) -> Option<String> {
    // arn:aws:ivs:<region>:<account>:channel/<id>
    let mut parts = video.arn.splitn(6, ':');
    let account = parts.nth(4)?;
    let id = parts.next()?.strip_prefix("channel/")?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(account) && plain(id)).then(|| format!("ivs/v1/{account}/{id}/"))
}

impl RecordingAccess for CloudFrontRecordingAccess {
    fn grant(
        &self,
        _channel: &ChannelId,
        video: &VideoChannel,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        let prefix = recordings_prefix(video).ok_or_else(|| {
            PortError::new(
                "CloudFront signing",
                format!("not an IVS channel: {}", video.arn),
            )
        })?;
        // The `*` before the prefix matches `/private-recordings/` as the viewer asks for it,
        // and nothing at all once the behaviour's function has taken that root off: the policy
        // holds whichever of the two CloudFront checks it against.
        let resource = format!("{}/*{prefix}*", self.base_url);
        Ok(self.signer.sign(&resource, expires_at)?.query())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video(arn: &str) -> VideoChannel {
        VideoChannel {
            arn: arn.into(),
            ingest_server: String::new(),
            playback_url: String::new(),
        }
    }

    #[test]
    fn a_grant_covers_one_channels_recordings() {
        assert_eq!(
            recordings_prefix(&video(
                "arn:aws:ivs:ap-northeast-2:123456789012:channel/AbCdEfGhIjKl"
            ))
            .as_deref(),
            Some("ivs/v1/123456789012/AbCdEfGhIjKl/")
        );
        for bad in [
            "arn:aws:ivs:ap-northeast-2:123456789012:stream-key/AbC",
            "arn:aws:ivs:ap-northeast-2:123456789012:channel/*",
            "arn:aws:ivs:ap-northeast-2::channel/AbC",
            "nonsense",
        ] {
            assert_eq!(recordings_prefix(&video(bad)), None, "{bad}");
        }
    }
}
