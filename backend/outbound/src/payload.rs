//! What a go-live delivery says: a Discord-compatible message (what streamers paste is mostly a
//! Discord webhook URL) with the event's data alongside for bots and automations.

use cloumer_domain::notification::GoLive;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

/// Discord's embed colour for our accent.
const ACCENT: u32 = 0x7c5cff;

/// The JSON body of a delivery telling that `event`'s channel went live; links go to
/// `<site_url>/<handle>`.
pub fn go_live_payload(event: &GoLive, site_url: &str) -> Value {
    let url = format!("{site_url}/{}", event.channel_handle);
    let started_at = event.started_at.format(&Rfc3339).unwrap_or_default();
    let title = if event.title.is_empty() {
        format!("{} is live", event.owner_nickname)
    } else {
        event.title.clone()
    };
    json!({
        "content": format!("{} is live: {url}", event.owner_nickname),
        // Titles and names are user input: they must never ping @everyone or a role.
        "allowed_mentions": { "parse": [] },
        "embeds": [{
            "title": title,
            "url": url,
            "color": ACCENT,
            "timestamp": started_at,
            "author": { "name": event.owner_nickname },
        }],
        "cloumer": {
            "event": "stream.started",
            "channel": event.channel_handle,
            "channel_id": event.channel_id,
            "stream_id": event.stream_id,
            "title": event.title,
            "streamer": event.owner_nickname,
            "url": url,
            "started_at": started_at,
        },
    })
}
