//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, for what the main wasm
//! module reads and writes: the runtime configuration, the directory, followed channels (and
//! what is coming up from them),
//! notifications, recording listings and block lists, error bodies, the session and the identity provider's answers;
//! and a stream summary (a lazily loaded page's, where a serde parser cost more than the card).
//!
//! Why not serde_json here: serde generates a parser per type, and those parsers were a sixth
//! of the main module (about 18 KB gzipped, measured with twiggy), paid by every visitor before
//! the first page shows. The browser already has a fast JSON parser. The lazily loaded pages
//! still use serde with the shared API types; the types decoded here list their wire names in
//! `FromJson::KEYS`, and a host test checks those against the shared types' serde output, so
//! the two cannot drift apart.

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::JsValue;

/// A parsed JSON value (a JS value underneath).
#[derive(Clone, Debug)]
pub struct Json(JsValue);

impl Json {
    pub fn parse(text: &str) -> Option<Self> {
        JSON::parse(text).ok().map(Self)
    }

    /// An empty object, to fill with [`Json::with`].
    pub fn object() -> Self {
        Self(Object::new().into())
    }

    pub fn array(items: impl IntoIterator<Item = Json>) -> Self {
        Self(
            items
                .into_iter()
                .map(|item| item.0)
                .collect::<Array>()
                .into(),
        )
    }

    /// The object with `key` set (to a string, number, bool or another `Json`).
    pub fn with(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    pub fn stringify(&self) -> String {
        JSON::stringify(&self.0)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    }

    /// The member `key` (undefined when this is not an object or has no such member).
    pub fn get(&self, key: &str) -> Self {
        if !self.0.is_object() {
            return Self(JsValue::UNDEFINED);
        }
        Self(Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }

    pub fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    pub fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    pub fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    pub fn items(&self) -> Option<Vec<Json>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(Self).collect())
    }
}

impl From<Json> for JsValue {
    fn from(json: Json) -> Self {
        json.0
    }
}

/// A type read from a JSON object.
pub trait FromJson: Sized {
    /// The object's member names, as the backend writes them.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "read by the wire-contract test")
    )]
    const KEYS: &'static [&'static str];
    fn from_json(json: &Json) -> Option<Self>;

    fn from_text(text: &str) -> Option<Self> {
        Self::from_json(&Json::parse(text)?)
    }
}

/// A member value: required unless it is an `Option`; `null` and absent read as `None`.
pub trait Member: Sized {
    fn read(json: &Json) -> Option<Self>;
}

impl Member for String {
    fn read(json: &Json) -> Option<Self> {
        json.string()
    }
}

impl Member for bool {
    fn read(json: &Json) -> Option<Self> {
        json.boolean()
    }
}

impl Member for u64 {
    fn read(json: &Json) -> Option<Self> {
        json.number()
            .filter(|n| n.is_finite() && *n >= 0.0 && n.fract() == 0.0)
            .map(|n| n as u64)
    }
}

impl Member for u32 {
    fn read(json: &Json) -> Option<Self> {
        u64::read(json).and_then(|n| u32::try_from(n).ok())
    }
}

impl Member for i64 {
    fn read(json: &Json) -> Option<Self> {
        json.number()
            .filter(|n| n.is_finite() && n.fract() == 0.0)
            .map(|n| n as i64)
    }
}

/// A list of whole numbers (a chart's points).
impl Member for Vec<u64> {
    fn read(json: &Json) -> Option<Self> {
        json.items()?.iter().map(u64::read).collect()
    }
}

/// The enums of reports, by their wire names (`as_str`, checked against serde's in api-types).
macro_rules! wire_enum {
    ($($ty:ident),*) => {$(
        impl Member for cloumer_api_types::$ty {
            fn read(json: &Json) -> Option<Self> {
                let name = json.string()?;
                Self::ALL.into_iter().find(|value| value.as_str() == name)
            }
        }
    )*};
}
wire_enum!(ReportKind, ReportDecision, ReportReason);

impl<T: Member> Member for Option<T> {
    fn read(json: &Json) -> Option<Self> {
        if json.0.is_null() || json.0.is_undefined() {
            Some(None)
        } else {
            T::read(json).map(Some)
        }
    }
}

impl<T: FromJson> Member for Vec<T> {
    fn read(json: &Json) -> Option<Self> {
        json.items()?.iter().map(T::from_json).collect()
    }
}

/// Implements [`FromJson`] for a struct from its fields and their wire names.
macro_rules! from_json {
    ($ty:path { $($field:ident: $key:literal),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            const KEYS: &'static [&'static str] = &[$($key),*];
            fn from_json(json: &$crate::json::Json) -> Option<Self> {
                Some(Self {
                    $($field: $crate::json::Member::read(&json.get($key))?,)*
                })
            }
        }
    };
}

mod api_types {
    use cloumer_api_types::*;

    from_json!(RuntimeConfig {
        api_base: "apiBase",
        cognito_endpoint: "cognitoEndpoint",
        cognito_client_id: "cognitoClientId",
        environment: "environment",
    });

    from_json!(ErrorBody {
        code: "code",
        message: "message",
    });

    from_json!(ChannelSummary {
        handle: "handle",
        owner_nickname: "ownerNickname",
        owner_avatar: "ownerAvatar",
        title: "title",
        category: "category",
        live: "live",
        private: "private",
        mature: "mature",
        language: "language",
        viewer_count: "viewerCount",
        started_at: "startedAt",
        thumbnail_url: "thumbnailUrl",
    });

    from_json!(DirectoryPage {
        items: "items",
        next: "next",
    });

    from_json!(FollowingPage {
        live: "live",
        items: "items",
        next: "next",
        coming_up: "comingUp",
    });

    from_json!(FollowedPlanBody {
        handle: "handle",
        owner_nickname: "ownerNickname",
        owner_avatar: "ownerAvatar",
        starts_at: "startsAt",
        ends_at: "endsAt",
        title: "title",
    });

    from_json!(NotificationBody {
        kind: "kind",
        channel_handle: "channelHandle",
        owner_nickname: "ownerNickname",
        owner_avatar: "ownerAvatar",
        title: "title",
        video_id: "videoId",
        raid_viewers: "raidViewers",
        about: "about",
        decision: "decision",
        ground: "ground",
        until: "until",
        created_at: "createdAt",
        unread: "unread",
    });

    from_json!(NotificationPage {
        items: "items",
        unread: "unread",
        next: "next",
    });

    from_json!(RecordingBody {
        id: "id",
        channel_handle: "channelHandle",
        owner_nickname: "ownerNickname",
        owner_avatar: "ownerAvatar",
        title: "title",
        category: "category",
        status: "status",
        started_at: "startedAt",
        ended_at: "endedAt",
        duration_ms: "durationMs",
        private: "private",
        mature: "mature",
        playlist_url: "playlistUrl",
        thumbnail_url: "thumbnailUrl",
        yours: "yours",
    });

    from_json!(RecordingPage {
        items: "items",
        next: "next",
    });

    from_json!(BlockedUserBody {
        user_id: "userId",
        nickname: "nickname",
        avatar: "avatar",
        handle: "handle",
        blocked_at: "blockedAt",
    });

    from_json!(BlockedUsersBody { items: "items" });

    from_json!(StreamSummaryBody {
        peak_viewers: "peakViewers",
        average_viewers: "averageViewers",
        followers_gained: "followersGained",
        samples: "samples",
        viewers: "viewers",
        seconds_per_point: "secondsPerPoint",
        chat_messages: "chatMessages",
        chatters: "chatters",
    });
}

#[cfg(test)]
mod tests {
    use cloumer_api_types::*;
    use serde::Serialize;

    use super::FromJson;

    /// The decoders read exactly the members the backend writes (serde is the wire contract).
    fn keys_match<T: FromJson + Serialize>(sample: T) {
        let value = serde_json::to_value(sample).unwrap();
        let mut written: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut read = T::KEYS.to_vec();
        written.sort_unstable();
        read.sort_unstable();
        assert_eq!(read, written, "{}", std::any::type_name::<T>());
    }

    fn channel() -> ChannelSummary {
        ChannelSummary {
            handle: "h".into(),
            owner_nickname: "n".into(),
            owner_avatar: "a".into(),
            title: "t".into(),
            category: "c".into(),
            live: true,
            private: false,
            mature: true,
            language: Some("ko".into()),
            viewer_count: 1,
            started_at: Some("s".into()),
            thumbnail_url: Some("u".into()),
        }
    }

    fn recording() -> RecordingBody {
        RecordingBody {
            id: "i".into(),
            channel_handle: "h".into(),
            owner_nickname: "n".into(),
            owner_avatar: "a".into(),
            title: "t".into(),
            category: "c".into(),
            status: "ENDED".into(),
            started_at: Some("s".into()),
            ended_at: Some("e".into()),
            duration_ms: Some(1),
            private: true,
            mature: false,
            playlist_url: Some("p".into()),
            thumbnail_url: Some("u".into()),
            yours: true,
        }
    }

    #[test]
    fn decoders_read_the_members_the_api_writes() {
        keys_match(RuntimeConfig {
            api_base: String::new(),
            cognito_endpoint: String::new(),
            cognito_client_id: String::new(),
            environment: String::new(),
        });
        keys_match(ErrorBody {
            code: String::new(),
            message: String::new(),
        });
        keys_match(channel());
        keys_match(DirectoryPage {
            items: vec![channel()],
            next: Some("n".into()),
        });
        let plan = FollowedPlanBody {
            handle: "h".into(),
            owner_nickname: "n".into(),
            owner_avatar: "preset:cat".into(),
            starts_at: "2026-12-07T11:00:00Z".into(),
            ends_at: "2026-12-07T13:00:00Z".into(),
            title: "t".into(),
        };
        keys_match(plan.clone());
        keys_match(FollowingPage {
            live: vec![channel()],
            items: vec![channel()],
            next: Some("n".into()),
            coming_up: vec![plan],
        });
        let notification = NotificationBody {
            kind: "VIDEO_READY".into(),
            channel_handle: "h".into(),
            owner_nickname: "n".into(),
            owner_avatar: "a".into(),
            title: "t".into(),
            video_id: Some("v".into()),
            raid_viewers: Some(3),
            about: Some(ReportKind::Clip),
            decision: Some(ReportDecision::Remove),
            ground: Some(ReportReason::ChildSafety),
            until: Some("u".into()),
            created_at: "c".into(),
            unread: true,
        };
        keys_match(notification.clone());
        keys_match(NotificationPage {
            items: vec![notification],
            unread: 1,
            next: Some("n".into()),
        });
        keys_match(recording());
        keys_match(RecordingPage {
            items: vec![recording()],
            next: Some("n".into()),
        });
        let blocked = BlockedUserBody {
            user_id: "u".into(),
            nickname: "n".into(),
            avatar: "a".into(),
            handle: Some("h".into()),
            blocked_at: "t".into(),
        };
        keys_match(StreamSummaryBody {
            peak_viewers: 3,
            average_viewers: 2,
            followers_gained: -1,
            samples: 2,
            viewers: vec![1, 3],
            seconds_per_point: 60,
            chat_messages: 12,
            chatters: 5,
        });
        keys_match(blocked.clone());
        keys_match(BlockedUsersBody {
            items: vec![blocked],
        });
    }
}
