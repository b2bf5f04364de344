//! Cloumer's emails, the same in both worlds: [`video_ready_message`] tells an uploader their
//! video is ready; [`go_live_message`] writes the "a channel you
//! follow went live" email (in the follower's language, plain text with an HTML alternative, and
//! the headers that give mail clients a one-click unsubscribe button, RFC 8058); [`Outbox`]
//! keeps each as an `.eml` file for the local stack, where the dev command says which folder to
//! open. In the cloud the same message goes to Amazon SES (`cloumer-aws`).

use std::path::PathBuf;

use async_trait::async_trait;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::notification::{EmailReport, GoLiveEmail};
use cloumer_domain::ports::EmailSender;
use cloumer_domain::profile::Language;
use cloumer_domain::video::VideoReadyEmail;
pub use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

/// Where an email's links lead.
#[derive(Clone, Debug)]
pub struct Links {
    /// The site (`<site>/<handle>`, and the page that confirms an unsubscribe).
    pub site_url: String,
    /// The API, which mail clients post the one-click unsubscribe to.
    pub api_url: String,
}

impl Links {
    fn query(email: &GoLiveEmail) -> String {
        // Both parts are letters, digits and `-_.:` (checked ids and generated tokens).
        format!("user={}&token={}", email.user_id, email.unsubscribe_token)
    }

    pub fn channel(&self, email: &GoLiveEmail) -> String {
        format!(
            "{}/{}",
            self.site_url.trim_end_matches('/'),
            email.event.channel_handle
        )
    }

    /// An uploaded video's page.
    pub fn video(&self, email: &VideoReadyEmail) -> String {
        format!(
            "{}/videos/{}",
            self.site_url.trim_end_matches('/'),
            email.video_id
        )
    }

    /// The page a person opens from the email's footer.
    pub fn unsubscribe_page(&self, email: &GoLiveEmail) -> String {
        format!(
            "{}/unsubscribe?{}",
            self.site_url.trim_end_matches('/'),
            Self::query(email)
        )
    }

    /// What a mail client posts to (`List-Unsubscribe`).
    pub fn one_click(&self, email: &GoLiveEmail) -> String {
        format!(
            "{}/api/v1/unsubscribe?{}",
            self.api_url.trim_end_matches('/'),
            Self::query(email)
        )
    }
}

/// The words of the email, per language.
struct Words {
    subject: String,
    went_live: String,
    watch: &'static str,
    why: String,
    stop: &'static str,
}

fn words(email: &GoLiveEmail) -> Words {
    let name = &email.event.owner_nickname;
    let title = &email.event.title;
    match email.language {
        Language::Ko => Words {
            subject: if title.is_empty() {
                format!("{name}님이 방송을 시작했어요")
            } else {
                format!("{name}님이 방송을 시작했어요: {title}")
            },
            went_live: format!("{name}님이 Cloumer에서 방송을 시작했어요."),
            watch: "지금 보기",
            why: format!(
                "{name}님을 팔로우하고 방송 시작 알림을 켜 두셔서 이 메일을 보내 드렸어요."
            ),
            stop: "이메일 알림 끄기",
        },
        Language::En => Words {
            subject: if title.is_empty() {
                format!("{name} is live")
            } else {
                format!("{name} is live: {title}")
            },
            went_live: format!("{name} just went live on Cloumer."),
            watch: "Watch now",
            why: format!(
                "You get this email because you follow {name} and asked to hear when they go live."
            ),
            stop: "Stop these emails",
        },
    }
}

/// Escapes user text (nicknames, titles) for the HTML part.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Why a message could not be written.
#[derive(Debug)]
pub struct NotWritten(pub String);

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the email could not be written: {}", self.0)
    }
}

impl std::error::Error for NotWritten {}

/// The go-live email for one follower.
pub fn go_live_message(
    email: &GoLiveEmail,
    from: &Mailbox,
    links: &Links,
) -> Result<Message, NotWritten> {
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|_| NotWritten("the address is not valid".to_owned()))?;
    let words = words(email);
    let channel = links.channel(email);
    let unsubscribe = links.unsubscribe_page(email);
    let title = &email.event.title;
    let text = format!(
        "{}\n\n{}{}: {channel}\n\n--\n{}\n{}: {unsubscribe}\n",
        words.went_live,
        if title.is_empty() {
            String::new()
        } else {
            format!("{title}\n\n")
        },
        words.watch,
        words.why,
        words.stop,
    );
    let body = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\">\
         <p>{}</p>{}<p><a href=\"{channel}\">{}</a></p>\
         <hr><p style=\"color:#666;font-size:small\">{}<br><a href=\"{unsubscribe}\">{}</a></p>\
         </body></html>",
        html(&words.went_live),
        if title.is_empty() {
            String::new()
        } else {
            format!("<h1 style=\"font-size:1.25em\">{}</h1>", html(title))
        },
        words.watch,
        html(&words.why),
        words.stop,
    );
    let header = |name: &str, value: String| {
        HeaderName::new_from_ascii(name.to_owned())
            .map(|name| HeaderValue::new(name, value))
            .map_err(|_| NotWritten(format!("bad header {name}")))
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(words.subject)
        .message_id(None)
        .raw_header(header(
            "List-Unsubscribe",
            format!("<{}>", links.one_click(email)),
        )?)
        .raw_header(header(
            "List-Unsubscribe-Post",
            "List-Unsubscribe=One-Click".to_owned(),
        )?)
        .multipart(text_and_html(text, body))
        .map_err(|error| NotWritten(error.to_string()))
}

/// "Your video is ready" for its uploader, in their language: about their own upload, so no
/// unsubscribe link (it comes once per upload they make).
pub fn video_ready_message(
    email: &VideoReadyEmail,
    from: &Mailbox,
    links: &Links,
) -> Result<Message, NotWritten> {
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|_| NotWritten("the address is not valid".to_owned()))?;
    let (subject, ready, watch) = match email.language {
        Language::Ko => (
            format!("동영상이 준비됐어요: {}", email.title),
            "업로드한 동영상을 이제 채널에서 볼 수 있어요.",
            "동영상 보기",
        ),
        Language::En => (
            format!("Your video is ready: {}", email.title),
            "The video you uploaded is ready to watch on your channel.",
            "Watch it",
        ),
    };
    let link = links.video(email);
    let text = format!("{ready}\n\n{}\n\n{watch}: {link}\n", email.title);
    let body = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\">\
         <p>{ready}</p><h1 style=\"font-size:1.25em\">{}</h1><p><a href=\"{link}\">{watch}</a></p>\
         </body></html>",
        html(&email.title),
    );
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .message_id(None)
        .multipart(text_and_html(text, body))
        .map_err(|error| NotWritten(error.to_string()))
}

/// A message's body: plain text, and the same in HTML for mail programs that show it.
fn text_and_html(text: String, html: String) -> MultiPart {
    MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(text),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(html),
        )
}

/// The local stack's email: every message written to a folder as an `.eml` file (any mail
/// program opens it), named so that a listing is in sending order.
pub struct Outbox {
    dir: PathBuf,
    from: Mailbox,
    links: Links,
}

impl Outbox {
    pub fn new(dir: PathBuf, from: Mailbox, links: Links) -> Self {
        Self { dir, from, links }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Writes one message as `<time>-<user>.eml`; its path.
    async fn write(&self, message: &Message, user: &str) -> Result<PathBuf, String> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|error| error.to_string())?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = self.dir.join(format!("{stamp}-{user}.eml"));
        tokio::fs::write(&path, message.formatted())
            .await
            .map(|()| path)
            .map_err(|error| error.to_string())
    }
}

#[async_trait]
impl EmailSender for Outbox {
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|error| PortError::new("creating the outbox", error))?;
        let mut report = EmailReport::default();
        for email in emails {
            let written = match go_live_message(email, &self.from, &self.links) {
                Ok(message) => self.write(&message, email.user_id.as_str()).await,
                Err(error) => Err(error.to_string()),
            };
            match written {
                Ok(path) => {
                    report.sent += 1;
                    tracing::info!(to = %email.to, file = %path.display(), "email written to the outbox");
                }
                Err(error) => {
                    report.failed += 1;
                    tracing::warn!(user = %email.user_id, %error, "email not written");
                }
            }
        }
        Ok(report)
    }

    async fn send_video_ready(&self, email: &VideoReadyEmail) -> PortResult<()> {
        let message = video_ready_message(email, &self.from, &self.links)
            .map_err(|error| PortError::new("writing an email", error))?;
        let path = self
            .write(&message, email.user_id.as_str())
            .await
            .map_err(|error| PortError::new("writing to the outbox", error))?;
        tracing::info!(to = %email.to, file = %path.display(), "email written to the outbox");
        Ok(())
    }
}
