//! The go-live email as a mail program reads it (parsed back with mailparse).

use cloumer_domain::ids::{ChannelId, StreamId, UserId};
use cloumer_domain::notification::{GoLive, GoLiveEmail};
use cloumer_domain::ports::EmailSender;
use cloumer_domain::profile::Language;
use cloumer_email::{Links, Outbox, go_live_message};
use mailparse::MailHeaderMap;

fn email(language: Language, title: &str) -> GoLiveEmail {
    GoLiveEmail {
        to: "fan@example.com".into(),
        language,
        user_id: UserId::parse("u-fan").unwrap(),
        unsubscribe_token: "tok123".into(),
        event: GoLive {
            channel_id: ChannelId::parse("chmail").unwrap(),
            stream_id: StreamId::parse("st-mail").unwrap(),
            started_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
            channel_handle: "minji".into(),
            owner_nickname: "민지".into(),
            title: title.into(),
        },
    }
}

fn links() -> Links {
    Links {
        site_url: "https://cloumer.example/".into(),
        api_url: "https://api.cloumer.example".into(),
    }
}

fn from() -> lettre::message::Mailbox {
    "Cloumer <notifications@cloumer.example>".parse().unwrap()
}

/// (subject, text, html, headers) of a formatted message.
fn read(bytes: &[u8]) -> (String, String, String, Vec<(String, String)>) {
    let parsed = mailparse::parse_mail(bytes).unwrap();
    let subject = parsed.headers.get_first_value("Subject").unwrap();
    let text = parsed.subparts[0].get_body().unwrap();
    let html = parsed.subparts[1].get_body().unwrap();
    assert_eq!(parsed.subparts[0].ctype.mimetype, "text/plain");
    assert_eq!(parsed.subparts[1].ctype.mimetype, "text/html");
    let headers = parsed
        .headers
        .iter()
        .map(|h| (h.get_key(), h.get_value()))
        .collect();
    (subject, text, html, headers)
}

#[test]
fn a_korean_follower_gets_it_in_korean_with_a_one_click_unsubscribe() {
    let message = go_live_message(&email(Language::Ko, "밤샘 코딩"), &from(), &links()).unwrap();
    let (subject, text, html, headers) = read(&message.formatted());
    assert_eq!(subject, "민지님이 방송을 시작했어요: 밤샘 코딩");
    assert!(
        text.contains("지금 보기: https://cloumer.example/minji"),
        "{text}"
    );
    assert!(
        text.contains("https://cloumer.example/unsubscribe?user=u-fan&token=tok123"),
        "{text}"
    );
    assert!(
        html.contains("<a href=\"https://cloumer.example/minji\">"),
        "{html}"
    );
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    assert_eq!(
        header("List-Unsubscribe").as_deref(),
        Some("<https://api.cloumer.example/api/v1/unsubscribe?user=u-fan&token=tok123>")
    );
    assert_eq!(
        header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(header("To").as_deref(), Some("fan@example.com"));
    assert!(header("Message-ID").is_some());
}

#[test]
fn titles_and_names_are_text_never_markup() {
    let mut hostile = email(Language::En, "<script>alert(1)</script> & \"more\"");
    hostile.event.owner_nickname = "<b>Mallory</b>".into();
    let message = go_live_message(&hostile, &from(), &links()).unwrap();
    let (subject, text, html, _) = read(&message.formatted());
    assert_eq!(
        subject,
        "<b>Mallory</b> is live: <script>alert(1)</script> & \"more\""
    );
    assert!(text.contains("<b>Mallory</b> just went live on Cloumer."));
    assert!(
        !html.contains("<script>") && !html.contains("<b>Mallory"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"));
}

#[test]
fn a_header_injection_in_the_address_is_refused() {
    let mut bad = email(Language::En, "t");
    bad.to = "fan@example.com\r\nBcc: everyone@example.com".into();
    assert!(go_live_message(&bad, &from(), &links()).is_err());
}

#[tokio::test]
async fn the_outbox_keeps_each_email_as_a_file_and_counts_the_unwritable() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::new(dir.path().join("outbox"), from(), links());
    let mut bad = email(Language::En, "t");
    bad.to = "not an address".into();
    let report = outbox
        .send_go_live(&[email(Language::En, ""), bad])
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (1, 1));
    let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].to_string_lossy().ends_with("-u-fan.eml"));
    let (subject, text, _, _) = read(&std::fs::read(&files[0]).unwrap());
    assert_eq!(subject, "민지 is live");
    assert!(text.contains("Watch now: https://cloumer.example/minji"));
    assert!(text.contains(
        "Stop these emails: https://cloumer.example/unsubscribe?user=u-fan&token=tok123"
    ));
}
