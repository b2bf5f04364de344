//! The Cloumer HTTP API: one async function per endpoint, typed with the shared API types.
//! Non-2xx answers become an [`ApiError`] with the server's `{code, message}`.

use cloumer_api_types::*;
use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use leptos::prelude::GetValue;

use crate::auth::Session;
use crate::i18n::I18n;
use crate::json::FromJson;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status; 0 when the request did not reach the server.
    pub status: u16,
    pub code: String,
    pub message: String,
    /// When a rate limit refused the request: how long until it would take it (`Retry-After`).
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// The thing asked about is not there (or not for this user): asking again will not change
    /// that.
    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    /// What to tell the user about it, in the interface's language ([`I18n::failure`]; a rate
    /// limit's refusal with when to try again).
    pub fn explained(&self, i18n: I18n) -> String {
        match self.retry_after_seconds {
            Some(seconds) if self.code == "rate_limited" => i18n.too_many_requests(seconds),
            _ => i18n.failure(&self.code, &self.message),
        }
    }

    fn network(error: impl std::fmt::Display) -> Self {
        Self {
            status: 0,
            code: "network".into(),
            message: error.to_string(),
            retry_after_seconds: None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// So a failed load can be shown by an `<ErrorBoundary>`.
impl std::error::Error for ApiError {}

/// A typed request on its way.
type Call<T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, ApiError>>>>;

/// An answer that is not what the API sends (a proxy's error page, a cut-off body).
const UNEXPECTED: &str = "unexpected response";

/// The API as the current user: the base URL and the session for the bearer token.
#[derive(Clone, Copy)]
pub struct Api {
    base: leptos::prelude::StoredValue<String>,
    session: Session,
}

/// What a request sends.
enum Body {
    Json(String),
    /// A file the user picked, sent as it is.
    File(web_sys::File),
}

/// A listing's path with the cursor of the page to read (none for the first).
fn paged(path: &str, cursor: Option<&str>) -> String {
    match cursor {
        Some(cursor) => format!("{path}&cursor={}", encode(cursor)),
        None => path.to_owned(),
    }
}

/// Percent-encodes one path segment or query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

impl Api {
    pub fn new(base: String, session: Session) -> Self {
        Self {
            base: leptos::prelude::StoredValue::new(base),
            session,
        }
    }

    /// One request, not generic over the response type: the request logic (token, refresh on
    /// 401, error bodies) exists once in the wasm instead of once per endpoint.
    async fn send_text(
        &self,
        method: Method,
        path: &str,
        body: Option<Body>,
    ) -> Result<String, ApiError> {
        let mut refreshed = false;
        loop {
            let url = format!("{}{path}", self.base.get_value());
            let mut request = RequestBuilder::new(&url).method(method.clone());
            if let Some(token) = self.session.id_token().await {
                request = request.header("Authorization", &format!("Bearer {token}"));
            }
            let response = match &body {
                Some(Body::Json(json)) => {
                    request
                        .header("Content-Type", "application/json")
                        .body(json.clone())
                        .map_err(ApiError::network)?
                        .send()
                        .await
                }
                Some(Body::File(file)) => {
                    // The browser's idea of the file's type; the server reads the bytes anyway.
                    let declared = file.type_();
                    if !declared.is_empty() {
                        request = request.header("Content-Type", &declared);
                    }
                    request
                        .body(wasm_bindgen::JsValue::from(file.clone()))
                        .map_err(ApiError::network)?
                        .send()
                        .await
                }
                None => request.send().await,
            }
            .map_err(ApiError::network)?;
            let status = response.status();
            let retry_after_seconds = response
                .headers()
                .get("retry-after")
                .and_then(|seconds| seconds.trim().parse().ok());
            let text = response.text().await.map_err(ApiError::network)?;
            if (200..300).contains(&status) {
                // 204 No Content reads as `null` (for `()`).
                return Ok(if text.is_empty() {
                    "null".to_owned()
                } else {
                    text
                });
            }
            let error = match ErrorBody::from_text(&text) {
                Some(body) => ApiError {
                    status,
                    code: body.code,
                    message: body.message,
                    retry_after_seconds,
                },
                None => ApiError {
                    status,
                    code: "http".into(),
                    message: format!("HTTP {status}"),
                    retry_after_seconds,
                },
            };
            // An expired or revoked token: refresh once and try again.
            if status == 401
                && error.code == "invalid_token"
                && !refreshed
                && self.session.refresh().await
            {
                refreshed = true;
                continue;
            }
            if status == 401 && error.code == "account_deleted" {
                self.session.account_deleted().await;
            }
            return Err(error);
        }
    }

    /// One typed request. Boxed, and parsed in here: each endpoint's function then only names
    /// its path and awaits this, instead of carrying its own copy of this state machine (in
    /// the wasm: one per response type rather than one per endpoint).
    fn send<T: DeserializeOwned + 'static>(
        &self,
        method: Method,
        path: &str,
        body: Option<Body>,
    ) -> Call<T> {
        let api = *self;
        let path = path.to_owned();
        Box::pin(async move {
            // Boxed so its state machine is not copied into every response type's.
            let text = Box::pin(api.send_text(method, &path, body)).await?;
            // Not the parser's own words: a "network" failure is explained as not reaching the
            // server, whatever its message.
            serde_json::from_str(&text).map_err(|_| ApiError::network(UNEXPECTED))
        })
    }

    fn get<T: DeserializeOwned + 'static>(&self, path: &str) -> Call<T> {
        self.send(Method::GET, path, None)
    }

    /// A GET whose answer is read with the browser's JSON parser (see json.rs): for what the
    /// main module needs.
    async fn get_json<T: FromJson>(&self, path: &str) -> Result<T, ApiError> {
        let text = Box::pin(self.send_text(Method::GET, path, None)).await?;
        T::from_text(&text).ok_or_else(|| ApiError::network(UNEXPECTED))
    }

    fn with_body<T: DeserializeOwned + 'static>(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Call<T> {
        match serde_json::to_string(body) {
            Ok(json) => self.send(method, path, Some(Body::Json(json))),
            Err(_) => Box::pin(std::future::ready(Err(ApiError::network(UNEXPECTED)))),
        }
    }

    pub async fn directory(&self, cursor: Option<&str>) -> Result<DirectoryPage, ApiError> {
        self.get_json(&paged("/api/v1/directory?limit=24", cursor))
            .await
    }

    /// The directory's channels matching `search` and `category` (either may be empty).
    pub async fn search_directory(
        &self,
        search: &str,
        category: &str,
        language: &str,
        cursor: Option<&str>,
    ) -> Result<DirectoryPage, ApiError> {
        let mut path = "/api/v1/directory?limit=24".to_owned();
        for (name, value) in [
            ("q", search),
            ("category", category),
            ("language", language),
        ] {
            if !value.trim().is_empty() {
                path.push_str(&format!("&{name}={}", encode(value)));
            }
        }
        self.get_json(&paged(&path, cursor)).await
    }

    /// The curated categories with who is live in them.
    pub async fn categories(&self) -> Result<CategoryList, ApiError> {
        self.get("/api/v1/categories").await
    }

    pub async fn recent_recordings(&self) -> Result<RecordingPage, ApiError> {
        self.get_json("/api/v1/recordings?limit=12").await
    }

    pub async fn recording(&self, id: &str) -> Result<RecordingBody, ApiError> {
        self.get_json(&format!("/api/v1/recordings/{}", encode(id)))
            .await
    }

    /// Gives the caller's past broadcast `id` a new title.
    pub async fn rename_recording(&self, id: &str, title: &str) -> Result<RecordingBody, ApiError> {
        self.with_body(
            Method::PATCH,
            &format!("/api/v1/me/channel/recordings/{}", encode(id)),
            &RenameRecording {
                title: title.to_owned(),
            },
        )
        .await
    }

    /// Everything the platform keeps of the caller's own, as the JSON text to save.
    pub async fn export_account(&self) -> Result<String, ApiError> {
        Box::pin(self.send_text(Method::GET, "/api/v1/me/export", None)).await
    }

    /// A page of what the caller said in every chat, newest first (older than `before`, the
    /// previous page's `next`), as the JSON text.
    pub async fn sent_messages(&self, before: Option<&str>) -> Result<String, ApiError> {
        let mut path = "/api/v1/me/messages?limit=100".to_owned();
        if let Some(before) = before {
            path.push_str("&before=");
            path.push_str(&encode(before));
        }
        Box::pin(self.send_text(Method::GET, &path, None)).await
    }

    /// Deletes the caller's account with everything of theirs (needs a sign-in of the last ten
    /// minutes). Asking again after a failure finishes the job.
    pub async fn delete_account(&self) -> Result<(), ApiError> {
        self.send(Method::DELETE, "/api/v1/me", None).await
    }

    /// Deletes the caller's past broadcast `id` and its files.
    pub async fn delete_recording(&self, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/channel/recordings/{}", encode(id)),
            None,
        )
        .await
    }

    pub async fn clip(&self, id: &str) -> Result<ClipBody, ApiError> {
        self.get(&format!("/api/v1/clips/{}", encode(id))).await
    }

    pub async fn channel_clips(&self, handle: &str) -> Result<ClipPage, ApiError> {
        self.get(&format!(
            "/api/v1/channels/{}/clips?limit=12",
            encode(handle)
        ))
        .await
    }

    /// Clips `start_ms..end_ms` of the past broadcast `id`.
    pub async fn clip_recording(
        &self,
        id: &str,
        title: &str,
        start_ms: u64,
        end_ms: u64,
    ) -> Result<ClipBody, ApiError> {
        self.with_body(
            Method::POST,
            &format!("/api/v1/recordings/{}/clips", encode(id)),
            &ClipRecording {
                title: title.to_owned(),
                start_ms: u32::try_from(start_ms).unwrap_or(u32::MAX),
                end_ms: u32::try_from(end_ms).unwrap_or(u32::MAX),
            },
        )
        .await
    }

    /// Clips the last 30 seconds of the channel's live broadcast.
    pub async fn clip_live(&self, handle: &str, title: &str) -> Result<ClipBody, ApiError> {
        self.with_body(
            Method::POST,
            &format!("/api/v1/channels/{}/clips", encode(handle)),
            &ClipLive {
                title: title.to_owned(),
            },
        )
        .await
    }

    pub async fn delete_clip(&self, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/clips/{}", encode(id)),
            None,
        )
        .await
    }

    /// Starts uploading a video of `size_bytes` to the caller's channel.
    pub async fn start_video_upload(&self, video: &NewVideo) -> Result<VideoUpload, ApiError> {
        self.with_body(Method::POST, "/api/v1/videos", video).await
    }

    /// How the caller's upload `id` stands: which parts are in.
    pub async fn video_upload(&self, id: &str) -> Result<VideoUpload, ApiError> {
        self.get(&format!("/api/v1/videos/{}/upload", encode(id)))
            .await
    }

    /// Where to send parts `numbers` of the caller's upload `id`.
    pub async fn video_part_urls(&self, id: &str, numbers: &[u32]) -> Result<PartUrls, ApiError> {
        self.with_body(
            Method::POST,
            &format!("/api/v1/videos/{}/upload/parts", encode(id)),
            &PartsWanted {
                parts: numbers.to_vec(),
            },
        )
        .await
    }

    pub async fn complete_video_upload(&self, id: &str) -> Result<VideoBody, ApiError> {
        self.send(
            Method::POST,
            &format!("/api/v1/videos/{}/upload/complete", encode(id)),
            None,
        )
        .await
    }

    pub async fn video(&self, id: &str) -> Result<VideoBody, ApiError> {
        self.get(&format!("/api/v1/videos/{}", encode(id))).await
    }

    pub async fn edit_video(&self, id: &str, change: &UpdateVideo) -> Result<VideoBody, ApiError> {
        self.with_body(
            Method::PATCH,
            &format!("/api/v1/videos/{}", encode(id)),
            change,
        )
        .await
    }

    pub async fn delete_video(&self, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/videos/{}", encode(id)),
            None,
        )
        .await
    }

    /// A channel's videos (its owner sees every one, with its state).
    pub async fn channel_videos(&self, handle: &str) -> Result<VideoPage, ApiError> {
        self.get(&format!(
            "/api/v1/channels/{}/videos?limit=24",
            encode(handle)
        ))
        .await
    }

    pub async fn handle_availability(&self, handle: &str) -> Result<HandleAvailability, ApiError> {
        self.get(&format!("/api/v1/handles/{}", encode(handle)))
            .await
    }

    pub async fn channel(&self, handle: &str) -> Result<ChannelPage, ApiError> {
        self.get(&format!("/api/v1/channels/{}", encode(handle)))
            .await
    }

    pub async fn channel_recordings(&self, handle: &str) -> Result<RecordingPage, ApiError> {
        self.get_json(&format!(
            "/api/v1/channels/{}/recordings?limit=12",
            encode(handle)
        ))
        .await
    }

    pub async fn playback(&self, handle: &str) -> Result<PlaybackBody, ApiError> {
        self.send(
            Method::POST,
            &format!("/api/v1/channels/{}/playback", encode(handle)),
            None,
        )
        .await
    }

    pub async fn chat_token(&self, handle: &str) -> Result<ChatTokenBody, ApiError> {
        self.send(
            Method::POST,
            &format!("/api/v1/channels/{}/chat-token", encode(handle)),
            None,
        )
        .await
    }

    /// A page of the room's history, newest first: the latest, or those `before` a cursor.
    pub async fn chat_history(
        &self,
        handle: &str,
        before: Option<&str>,
    ) -> Result<ChatHistoryPage, ApiError> {
        let mut path = format!("/api/v1/channels/{}/chat/messages?limit=50", encode(handle));
        if let Some(before) = before {
            path.push_str(&format!("&before={}", encode(before)));
        }
        self.get(&path).await
    }

    /// A past broadcast's chat, oldest first: from `from_ms` into the video, or after a cursor.
    pub async fn chat_replay(
        &self,
        recording: &str,
        from_ms: u64,
        after: Option<&str>,
    ) -> Result<ChatReplayPage, ApiError> {
        let mut path = format!(
            "/api/v1/recordings/{}/chat?limit=100&from={from_ms}",
            encode(recording)
        );
        if let Some(after) = after {
            path.push_str(&format!("&after={}", encode(after)));
        }
        self.get(&path).await
    }

    /// Says this page is in `handle`'s chat and learns who else is (`session` counts a
    /// signed-out reader; the server ignores it for a signed-in user).
    pub async fn presence(&self, handle: &str, session: &str) -> Result<PresenceBody, ApiError> {
        self.send(
            Method::POST,
            &format!(
                "/api/v1/channels/{}/presence?session={}",
                encode(handle),
                encode(session)
            ),
            None,
        )
        .await
    }

    pub async fn leave_presence(&self, handle: &str, session: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!(
                "/api/v1/channels/{}/presence?session={}",
                encode(handle),
                encode(session)
            ),
            None,
        )
        .await
    }

    pub async fn follow(&self, handle: &str) -> Result<FollowBody, ApiError> {
        self.send(
            Method::PUT,
            &format!("/api/v1/channels/{}/follow", encode(handle)),
            None,
        )
        .await
    }

    pub async fn set_follow_notify(
        &self,
        handle: &str,
        notify: bool,
    ) -> Result<FollowBody, ApiError> {
        self.with_body(
            Method::PATCH,
            &format!("/api/v1/channels/{}/follow", encode(handle)),
            &FollowSettings { notify },
        )
        .await
    }

    pub async fn unfollow(&self, handle: &str) -> Result<FollowBody, ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/channels/{}/follow", encode(handle)),
            None,
        )
        .await
    }

    /// The channels the caller follows (the home page's row reads it: the browser's JSON parser).
    pub async fn following(&self, cursor: Option<&str>) -> Result<FollowingPage, ApiError> {
        self.get_json(&paged("/api/v1/me/following?limit=24", cursor))
            .await
    }

    /// The caller's notifications (the bell in the top bar reads them: the browser's JSON parser).
    pub async fn notifications(&self, cursor: Option<&str>) -> Result<NotificationPage, ApiError> {
        self.get_json(&paged("/api/v1/me/notifications?limit=20", cursor))
            .await
    }

    pub async fn mark_notifications_seen(&self) -> Result<(), ApiError> {
        self.send_text(Method::POST, "/api/v1/me/notifications/seen", None)
            .await
            .map(drop)
    }

    /// Reports something to the platform's staff.
    pub async fn report(&self, report: &NewReport) -> Result<FiledReport, ApiError> {
        self.with_body(Method::POST, "/api/v1/reports", report)
            .await
    }

    /// Appeals the caller's channel's suspension (once per suspension).
    pub async fn appeal_suspension(&self, words: &str) -> Result<FiledAppeal, ApiError> {
        self.with_body(
            Method::POST,
            "/api/v1/me/channel/suspension/appeal",
            &NewAppeal {
                words: words.to_owned(),
            },
        )
        .await
    }

    /// The open reports, oldest first (staff only).
    pub async fn open_reports(&self, cursor: Option<&str>) -> Result<ReportPage, ApiError> {
        self.get(&paged("/api/v1/reports?limit=20", cursor)).await
    }

    /// Settles a report's subject (staff only).
    pub async fn settle_report(
        &self,
        id: &str,
        decision: ReportDecision,
        suspend_days: Option<u32>,
    ) -> Result<SettledReports, ApiError> {
        self.with_body(
            Method::POST,
            &format!("/api/v1/reports/{}/settle", encode(id)),
            &SettleReport {
                decision,
                suspend_days,
            },
        )
        .await
    }

    /// Lifts a channel's suspension (staff only).
    pub async fn lift_suspension(&self, handle: &str) -> Result<(), ApiError> {
        self.send_text(
            Method::DELETE,
            &format!("/api/v1/channels/{}/suspension", encode(handle)),
            None,
        )
        .await
        .map(drop)
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/api/v1/me").await
    }

    pub async fn update_me(&self, change: &UpdateProfile) -> Result<Me, ApiError> {
        self.with_body(Method::PATCH, "/api/v1/me", change).await
    }

    pub async fn my_channel(&self) -> Result<MyChannel, ApiError> {
        self.get("/api/v1/me/channel").await
    }

    pub async fn update_channel(&self, change: &UpdateChannel) -> Result<MyChannel, ApiError> {
        self.with_body(Method::PATCH, "/api/v1/me/channel", change)
            .await
    }

    pub async fn stream_key(&self) -> Result<StreamKeyBody, ApiError> {
        self.get("/api/v1/me/channel/stream-key").await
    }

    pub async fn reset_stream_key(&self) -> Result<StreamKeyBody, ApiError> {
        self.send(Method::POST, "/api/v1/me/channel/stream-key/reset", None)
            .await
    }

    /// Marks the present moment of the caller's live broadcast.
    pub async fn add_marker(&self, note: &str) -> Result<MarkerBody, ApiError> {
        let body = NewMarker {
            note: note.to_owned(),
        };
        self.with_body(Method::POST, "/api/v1/me/channel/markers", &body)
            .await
    }

    /// Takes the marker at `at_ms` off the caller's broadcast `id`.
    pub async fn remove_marker(&self, id: &str, at_ms: u64) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!(
                "/api/v1/me/channel/recordings/{}/markers/{at_ms}",
                encode(id)
            ),
            None,
        )
        .await
    }

    /// Renames the marker at `at_ms` of the caller's broadcast `id`.
    pub async fn rename_marker(
        &self,
        id: &str,
        at_ms: u64,
        note: &str,
    ) -> Result<MarkerBody, ApiError> {
        self.with_body(
            Method::PATCH,
            &format!(
                "/api/v1/me/channel/recordings/{}/markers/{at_ms}",
                encode(id)
            ),
            &NewMarker {
                note: note.to_owned(),
            },
        )
        .await
    }

    /// The moments of past broadcast `id` its streamer marked, in order.
    pub async fn recording_markers(&self, id: &str) -> Result<MarkerList, ApiError> {
        self.get(&format!("/api/v1/recordings/{}/markers", encode(id)))
            .await
    }

    /// Who watched the caller's broadcast `id` (404 when it was never sampled).
    pub async fn stream_summary(&self, id: &str) -> Result<StreamSummaryBody, ApiError> {
        self.get_json(&format!(
            "/api/v1/me/channel/recordings/{}/summary",
            encode(id)
        ))
        .await
    }

    /// Replaces the caller's channel's bio and links (both empty: none).
    pub async fn set_about(&self, about: &AboutBody) -> Result<AboutBody, ApiError> {
        self.with_body(Method::PUT, "/api/v1/me/channel/about", about)
            .await
    }

    /// Replaces the caller's weekly schedule (no streams: none).
    pub async fn set_schedule(&self, schedule: &ScheduleBody) -> Result<ScheduleBody, ApiError> {
        self.with_body(Method::PUT, "/api/v1/me/channel/schedule", schedule)
            .await
    }

    pub async fn update_chat_rules(&self, rules: &ChatRules) -> Result<ChatRules, ApiError> {
        self.with_body(Method::PUT, "/api/v1/me/channel/chat-rules", rules)
            .await
    }

    /// Sends the people watching the caller to the live channel `handle`.
    pub async fn raid(&self, handle: &str) -> Result<RaidBody, ApiError> {
        let body = StartRaid {
            handle: handle.to_owned(),
        };
        self.with_body(Method::POST, "/api/v1/me/channel/raid", &body)
            .await
    }

    /// Removes a message from `handle`'s chat (its owner or a moderator).
    pub async fn delete_message(&self, handle: &str, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!(
                "/api/v1/channels/{}/chat/messages/{}",
                encode(handle),
                encode(id)
            ),
            None,
        )
        .await
    }

    /// The message pinned above `handle`'s chat, if any.
    pub async fn chat_pin(&self, handle: &str) -> Result<ChatPinBody, ApiError> {
        self.get(&format!("/api/v1/channels/{}/chat/pin", encode(handle)))
            .await
    }

    /// Pins the message `id` above `handle`'s chat (the owner and moderators).
    pub async fn pin_message(&self, handle: &str, id: &str) -> Result<PinnedMessageBody, ApiError> {
        let request = PinMessageRequest {
            message_id: id.to_owned(),
        };
        self.with_body(
            Method::PUT,
            &format!("/api/v1/channels/{}/chat/pin", encode(handle)),
            &request,
        )
        .await
    }

    /// Takes down the message pinned above `handle`'s chat: `shown`, the one this page shows
    /// (another moderator's newer pin stays).
    pub async fn unpin_message(&self, handle: &str, shown: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!(
                "/api/v1/channels/{}/chat/pin?messageId={}",
                encode(handle),
                encode(shown)
            ),
            None,
        )
        .await
    }

    /// The latest poll of `handle`'s chat, with (signed in) this user's vote.
    pub async fn chat_poll(&self, handle: &str) -> Result<ChatPollBody, ApiError> {
        self.get(&format!("/api/v1/channels/{}/chat/poll", encode(handle)))
            .await
    }

    /// Opens a poll in `handle`'s chat (the owner and moderators).
    pub async fn open_poll(
        &self,
        handle: &str,
        request: &OpenPollRequest,
    ) -> Result<PollBody, ApiError> {
        let path = format!("/api/v1/channels/{}/chat/poll", encode(handle));
        self.with_body(Method::POST, &path, request).await
    }

    /// Ends the poll `poll_id` of `handle`'s chat now (the owner and moderators).
    pub async fn end_poll(&self, handle: &str, poll_id: &str) -> Result<PollBody, ApiError> {
        let request = EndPollRequest {
            poll_id: poll_id.to_owned(),
        };
        let path = format!("/api/v1/channels/{}/chat/poll/end", encode(handle));
        self.with_body(Method::POST, &path, &request).await
    }

    /// This user's vote: answer `choice` of the poll `poll_id` in `handle`'s chat.
    pub async fn vote(
        &self,
        handle: &str,
        poll_id: &str,
        choice: u8,
    ) -> Result<PollBody, ApiError> {
        let request = VoteRequest {
            poll_id: poll_id.to_owned(),
            choice,
        };
        let path = format!("/api/v1/channels/{}/chat/poll/vote", encode(handle));
        self.with_body(Method::PUT, &path, &request).await
    }

    /// Someone in `handle`'s chat: who they are, since when they have an account and follow the
    /// channel (and, for its owner and moderators, a ban or timeout in force).
    pub async fn chatter_card(&self, handle: &str, user_id: &str) -> Result<ChatterCard, ApiError> {
        self.get(&format!(
            "/api/v1/channels/{}/chatters/{}",
            encode(handle),
            encode(user_id)
        ))
        .await
    }

    /// The bans and timeouts in force in `handle`'s chat.
    pub async fn bans(&self, handle: &str) -> Result<Vec<BanBody>, ApiError> {
        self.get(&format!("/api/v1/channels/{}/bans", encode(handle)))
            .await
    }

    pub async fn ban(
        &self,
        handle: &str,
        user_id: &str,
        request: &BanRequest,
    ) -> Result<BanBody, ApiError> {
        self.with_body(
            Method::PUT,
            &format!(
                "/api/v1/channels/{}/bans/{}",
                encode(handle),
                encode(user_id)
            ),
            request,
        )
        .await
    }

    pub async fn time_out(
        &self,
        handle: &str,
        user_id: &str,
        request: &TimeoutRequest,
    ) -> Result<BanBody, ApiError> {
        self.with_body(
            Method::PUT,
            &format!(
                "/api/v1/channels/{}/timeouts/{}",
                encode(handle),
                encode(user_id)
            ),
            request,
        )
        .await
    }

    /// Raises or lowers shield mode on the channel's chat.
    pub async fn set_shield(&self, handle: &str, raised: bool) -> Result<ShieldBody, ApiError> {
        self.with_body(
            Method::PUT,
            &format!("/api/v1/channels/{}/chat/shield", encode(handle)),
            &ShieldRequest { raised },
        )
        .await
    }

    /// Lifts a ban or a timeout.
    pub async fn unban(&self, handle: &str, user_id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!(
                "/api/v1/channels/{}/bans/{}",
                encode(handle),
                encode(user_id)
            ),
            None,
        )
        .await
    }

    pub async fn moderation_log(
        &self,
        handle: &str,
        cursor: Option<&str>,
    ) -> Result<ModerationLogPage, ApiError> {
        let mut path = format!("/api/v1/channels/{}/moderation-log", encode(handle));
        if let Some(cursor) = cursor {
            path.push_str(&format!("?cursor={}", encode(cursor)));
        }
        self.get(&path).await
    }

    /// Who follows the caller's channel, newest first; `cursor` continues a previous page.
    pub async fn followers(&self, cursor: Option<&str>) -> Result<FollowerPage, ApiError> {
        let mut path = "/api/v1/me/channel/followers".to_owned();
        if let Some(cursor) = cursor {
            path.push_str(&format!("?cursor={}", encode(cursor)));
        }
        self.get(&path).await
    }

    pub async fn moderators(&self) -> Result<Vec<ModeratorBody>, ApiError> {
        self.get("/api/v1/me/channel/moderators").await
    }

    pub async fn appoint_moderator(&self, handle: &str) -> Result<ModeratorBody, ApiError> {
        self.send(
            Method::PUT,
            &format!("/api/v1/me/channel/moderators/{}", encode(handle)),
            None,
        )
        .await
    }

    pub async fn remove_moderator(&self, handle: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/channel/moderators/{}", encode(handle)),
            None,
        )
        .await
    }

    pub async fn channel_emotes(&self, handle: &str) -> Result<Vec<EmoteBody>, ApiError> {
        self.get(&format!("/api/v1/channels/{}/emotes", encode(handle)))
            .await
    }

    /// Uploads `file` as the caller's emote `code` (replacing its image if it has one).
    pub async fn put_emote(&self, code: &str, file: web_sys::File) -> Result<EmoteBody, ApiError> {
        self.send(
            Method::PUT,
            &format!("/api/v1/me/channel/emotes/{}", encode(code)),
            Some(Body::File(file)),
        )
        .await
    }

    pub async fn remove_emote(&self, code: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/channel/emotes/{}", encode(code)),
            None,
        )
        .await
    }

    pub async fn webhooks(&self) -> Result<Vec<WebhookBody>, ApiError> {
        self.get("/api/v1/me/channel/webhooks").await
    }

    pub async fn add_webhook(&self, url: &str) -> Result<CreatedWebhook, ApiError> {
        let body = NewWebhook {
            url: url.to_owned(),
        };
        self.with_body(Method::POST, "/api/v1/me/channel/webhooks", &body)
            .await
    }

    pub async fn remove_webhook(&self, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/channel/webhooks/{}", encode(id)),
            None,
        )
        .await
    }

    /// The key browsers subscribe to push with.
    pub async fn push_key(&self) -> Result<PushKey, ApiError> {
        self.get("/api/v1/push/key").await
    }

    /// Keeps this browser's push subscription: `subscription` is the browser's own JSON of it
    /// (`PushSubscription.toJSON()`), sent as it is.
    pub async fn save_push_subscription(&self, subscription: String) -> Result<(), ApiError> {
        self.send(
            Method::PUT,
            "/api/v1/me/push-subscription",
            Some(Body::Json(subscription)),
        )
        .await
    }

    pub async fn remove_push_subscription(&self, endpoint: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/push-subscription?endpoint={}", encode(endpoint)),
            None,
        )
        .await
    }

    /// Turns off go-live emails with the link from one of them (no sign-in needed).
    pub async fn unsubscribe(&self, user: &str, token: &str) -> Result<(), ApiError> {
        self.send(
            Method::POST,
            &format!(
                "/api/v1/unsubscribe?user={}&token={}",
                encode(user),
                encode(token)
            ),
            None,
        )
        .await
    }

    /// Everyone the caller blocked, most recently first (the profile page's list).
    /// Read with the browser's JSON parser: the profile and a past broadcast's chat replay both
    /// read it, and a serde parser would be built into each of their modules.
    pub async fn blocked_users(&self) -> Result<BlockedUsersBody, ApiError> {
        self.get_json("/api/v1/me/blocks").await
    }

    /// Blocks the user `user_id` (a chat line's sender): the caller's chat hides them.
    pub async fn block_user(&self, user_id: &str) -> Result<(), ApiError> {
        self.send(
            Method::PUT,
            &format!("/api/v1/me/blocks/{}", encode(user_id)),
            None,
        )
        .await
    }

    pub async fn unblock_user(&self, user_id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/blocks/{}", encode(user_id)),
            None,
        )
        .await
    }

    pub async fn viewers(&self) -> Result<Vec<ViewerGrantBody>, ApiError> {
        self.get("/api/v1/me/channel/viewers").await
    }

    pub async fn grant_viewer(&self, handle: &str) -> Result<ViewerGrantBody, ApiError> {
        self.with_body(
            Method::PUT,
            &format!("/api/v1/me/channel/viewers/{}", encode(handle)),
            &serde_json::json!({}),
        )
        .await
    }

    pub async fn revoke_viewer(&self, handle: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            &format!("/api/v1/me/channel/viewers/{}", encode(handle)),
            None,
        )
        .await
    }
}

pub fn use_api() -> Api {
    leptos::prelude::expect_context::<Api>()
}
