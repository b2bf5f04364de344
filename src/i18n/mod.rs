//! English and Korean. Every string the interface shows is a field of [`Texts`] (the shell and
//! the home page), of [`PageTexts`] (the lazily loaded pages) or of a page's own word set, so a
//! missing translation is a compile error, not a blank label. Which set a word is in decides
//! which wasm module carries it: the first page's code must not read [`PageTexts`]. The
//! language comes from the browser at first visit and can be switched; the choice is remembered.

mod en;
mod ko;
mod refusals;
mod texts;

use leptos::prelude::*;

pub use texts::{PageTexts, Texts};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            "ko" => Some(Self::Ko),
            _ => None,
        }
    }

    /// The first supported language in the browser's preference list (English otherwise).
    pub fn from_browser(preferences: &[String]) -> Self {
        preferences
            .iter()
            .find_map(|tag| {
                let primary = tag
                    .split(['-', '_'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                Self::from_code(&primary)
            })
            .unwrap_or(Self::En)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::En => &en::EN,
            Self::Ko => &ko::KO,
        }
    }

    /// The lazily loaded pages' words. Called only from those pages' code, so the words are
    /// split off with it (a call from the first page's code would bring them all back there).
    pub fn page_texts(self) -> &'static PageTexts {
        match self {
            Self::En => &en::EN_PAGES,
            Self::Ko => &ko::KO_PAGES,
        }
    }
}

/// The language in use, shared by the whole app.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

const STORAGE_KEY: &str = "cloumer.lang";

impl I18n {
    pub fn t(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// The lazily loaded pages' words ([`Lang::page_texts`]).
    pub fn page_texts(&self) -> &'static PageTexts {
        self.lang.get().page_texts()
    }

    /// The badge beside a name in a channel's chat for its chat `role` (the streamer, a
    /// moderator; nothing for viewers).
    pub fn role_badge(&self, role: &str) -> Option<&'static str> {
        match role {
            "owner" => Some(self.page_texts().owner_badge),
            "moderator" => Some(self.page_texts().moderator_badge),
            _ => None,
        }
    }

    /// One of a page's own word sets (kept with the page, so they load with its code rather
    /// than with the first page), in the language in use.
    pub fn pick<T>(&self, en: &'static T, ko: &'static T) -> &'static T {
        match self.lang.get() {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }

    /// "1 viewer", "12 viewers", "1.2K viewers"; "12명 시청 중".
    pub fn viewers(&self, count: u64) -> String {
        let t = self.t();
        let word = if count == 1 { t.viewer_one } else { t.viewers };
        match self.lang.get() {
            Lang::En => format!("{} {word}", crate::time::compact_count(count)),
            Lang::Ko => format!("{}{word}", crate::time::compact_count(count)),
        }
    }

    /// A category's name to show: the curated ones are stored in English and shown in the
    /// interface's language; one a streamer typed is shown as typed.
    pub fn category<'a>(&self, name: &'a str) -> &'a str {
        // "Just Chatting" stays in English, as Korean streaming sites show it.
        const KO: [(&str, &str); 11] = [
            ("Games", "게임"),
            ("Music", "음악"),
            ("Art", "미술"),
            ("Science & Technology", "과학 및 기술"),
            ("Software Development", "소프트웨어 개발"),
            ("Education", "교육"),
            ("Sports", "스포츠"),
            ("Fitness & Health", "피트니스 및 건강"),
            ("Food & Drink", "음식 및 음료"),
            ("Travel & Outdoors", "여행 및 야외 활동"),
            ("Talk Shows & Podcasts", "토크쇼 및 팟캐스트"),
        ];
        match self.lang.get() {
            Lang::En => name,
            Lang::Ko => KO
                .iter()
                .find(|(en, _)| *en == name)
                .map_or(name, |(_, ko)| ko),
        }
    }

    /// "1 follower", "1.2K followers"; "팔로워 12명".
    pub fn followers(&self, count: u64) -> String {
        let t = self.t();
        let word = if count == 1 {
            t.follower_one
        } else {
            t.followers
        };
        match self.lang.get() {
            Lang::En => format!("{} {word}", crate::time::compact_count(count)),
            Lang::Ko => format!("{word} {}명", crate::time::compact_count(count)),
        }
    }

    /// "30 s", "10 min", "2 h", "3 d"; "30초", "10분", "2시간", "3일" (the largest whole unit).
    pub fn duration(&self, seconds: u64) -> String {
        let (n, en, ko) = match seconds {
            s if s < 60 => (s, "s", "초"),
            s if s < 3600 || s % 3600 != 0 && s < 86_400 => (s.div_ceil(60), "min", "분"),
            s if s < 86_400 || s % 86_400 != 0 => (s.div_ceil(3600), "h", "시간"),
            s => (s / 86_400, "d", "일"),
        };
        match self.lang.get() {
            Lang::En => format!("{n} {en}"),
            Lang::Ko => format!("{n}{ko}"),
        }
    }

    /// "until 11/30/2026, 8:39 PM"; "2026. 11. 30. 오후 8:39까지".
    pub fn until(&self, when: &str) -> String {
        match self.lang.get() {
            Lang::En => format!("until {when}"),
            Lang::Ko => format!("{when}까지"),
        }
    }

    /// "3 signed-out readers"; "로그인하지 않은 시청자 3명".
    pub fn readers(&self, count: u64) -> String {
        match (self.lang.get(), count) {
            (Lang::En, 1) => "1 signed-out reader".to_owned(),
            (Lang::En, n) => format!("{n} signed-out readers"),
            (Lang::Ko, n) => format!("로그인하지 않은 시청자 {n}명"),
        }
    }

    /// The slow-mode rule shown above the chat box.
    pub fn slow_mode_rule(&self, seconds: u16) -> String {
        let d = self.duration(u64::from(seconds));
        match self.lang.get() {
            Lang::En => format!("Slow mode: one message every {d}"),
            Lang::Ko => format!("슬로우 모드: {d}에 한 번"),
        }
    }

    /// The account-age rule shown above the chat box.
    pub fn account_age_rule(&self, minutes: u32) -> String {
        let d = self.duration(u64::from(minutes) * 60);
        match self.lang.get() {
            Lang::En => format!("Accounts younger than {d} cannot chat"),
            Lang::Ko => format!("가입한 지 {d}이 안 된 계정은 채팅할 수 없어요"),
        }
    }

    /// Below a chat scrolled up to read: how many messages came since, and a way down to them.
    pub fn new_messages(&self, count: u32) -> String {
        match (self.lang.get(), count) {
            (Lang::En, 1) => "↓ 1 new message".to_owned(),
            (Lang::En, n) => format!("↓ {n} new messages"),
            (Lang::Ko, n) => format!("↓ 새 메시지 {n}개"),
        }
    }

    /// A message's reply button, as a screen reader names it.
    pub fn reply_to(&self, nickname: &str) -> String {
        match self.lang.get() {
            Lang::En => format!("Reply to {nickname}"),
            Lang::Ko => format!("{nickname} 님에게 답장"),
        }
    }

    /// Over the message pinned above the chat.
    pub fn pinned_by(&self, nickname: &str) -> String {
        match self.lang.get() {
            Lang::En => format!("Pinned by {nickname}"),
            Lang::Ko => format!("{nickname} 님이 고정함"),
        }
    }

    /// Above the chat box while a reply is being written.
    pub fn replying_to(&self, nickname: &str) -> String {
        match self.lang.get() {
            Lang::En => format!("Replying to {nickname}"),
            Lang::Ko => format!("{nickname} 님에게 답장하는 중"),
        }
    }

    /// The followers-only rule shown above the chat box (`0`: any follower).
    pub fn followers_only_rule(&self, minutes: u32) -> String {
        if minutes == 0 {
            return self.page_texts().followers_only.to_owned();
        }
        let d = self.duration(u64::from(minutes) * 60);
        match self.lang.get() {
            Lang::En => format!("Followers-only chat: follow for {d} to chat"),
            Lang::Ko => format!("팔로워 전용 채팅: 팔로우하고 {d}이 지나면 채팅할 수 있어요"),
        }
    }

    /// Why the chat box is closed for now, and for how long.
    pub fn wait_to_send(&self, timed_out: bool, seconds: u64) -> String {
        let d = self.duration(seconds);
        match (self.lang.get(), timed_out) {
            (Lang::En, true) => format!("You are timed out: you can chat again in {d}"),
            (Lang::Ko, true) => format!("타임아웃 중이에요. {d} 후에 다시 채팅할 수 있어요"),
            (Lang::En, false) => format!("You can chat in {d}"),
            (Lang::Ko, false) => format!("{d} 후에 채팅할 수 있어요"),
        }
    }

    /// One line of the moderation log (without its time and reason).
    pub fn log_line(&self, entry: &cloumer_api_types::ModerationEntryBody) -> String {
        let actor = entry.actor_nickname.as_str();
        let target = entry.target_nickname.as_deref().unwrap_or("?");
        let until = entry
            .until
            .as_deref()
            .and_then(crate::time::parse_rfc3339_ms)
            .map(|ms| crate::browser::local_date_time(ms, self.lang.get().code()));
        let en = self.lang.get() == Lang::En;
        match (entry.action.as_str(), en) {
            ("delete_message", true) => format!("{actor} deleted a message from {target}"),
            ("delete_message", false) => format!("{actor}님이 {target}님의 메시지를 삭제"),
            ("timeout", true) => format!(
                "{actor} timed out {target} until {}",
                until.unwrap_or_default()
            ),
            ("timeout", false) => format!(
                "{actor}님이 {target}님을 {}까지 타임아웃",
                until.unwrap_or_default()
            ),
            ("ban", true) => match until {
                Some(until) => format!("{actor} banned {target} until {until}"),
                None => format!("{actor} banned {target}"),
            },
            ("ban", false) => match until {
                Some(until) => format!("{actor}님이 {target}님을 {until}까지 차단"),
                None => format!("{actor}님이 {target}님을 차단"),
            },
            ("unban", true) => format!("{actor} lifted {target}'s ban"),
            ("unban", false) => format!("{actor}님이 {target}님의 제재를 해제"),
            ("add_moderator", true) => format!("{actor} made {target} a moderator"),
            ("add_moderator", false) => format!("{actor}님이 {target}님을 매니저로 지정"),
            ("remove_moderator", true) => format!("{actor} removed {target} as a moderator"),
            ("remove_moderator", false) => format!("{actor}님이 {target}님을 매니저에서 해제"),
            ("pin_message", true) => format!("{actor} pinned a message from {target}"),
            ("pin_message", false) => format!("{actor}님이 {target}님의 메시지를 고정"),
            ("unpin_message", true) => format!("{actor} unpinned a message from {target}"),
            ("unpin_message", false) => format!("{actor}님이 {target}님의 메시지 고정을 해제"),
            ("open_poll", true) => format!("{actor} opened a poll"),
            ("open_poll", false) => format!("{actor}님이 투표를 시작"),
            ("end_poll", true) => format!("{actor} ended a poll early"),
            ("end_poll", false) => format!("{actor}님이 투표를 일찍 마감"),
            ("raise_shield", true) => format!("{actor} raised shield mode"),
            ("raise_shield", false) => format!("{actor}님이 보호 모드를 켬"),
            ("lower_shield", true) => format!("{actor} lowered shield mode"),
            ("lower_shield", false) => format!("{actor}님이 보호 모드를 끔"),
            (other, _) => format!("{actor}: {other} {target}"),
        }
    }

    /// A rate limit's refusal, with when to try again: in `seconds`, said as a person says a
    /// wait (rounded up to minutes or hours).
    pub fn too_many_requests(&self, seconds: u64) -> String {
        let lead = match self.lang.get() {
            Lang::En => "Too many requests.",
            Lang::Ko => "요청이 너무 많아요.",
        };
        format!("{lead} {}", self.try_again_in(seconds))
    }

    /// "Try again in …", for a wait of `seconds`.
    pub fn try_again_in(&self, seconds: u64) -> String {
        let (count, unit) = match seconds {
            0..=59 => (seconds, 0),
            60..=3599 => (seconds.div_ceil(60), 1),
            _ => (seconds.div_ceil(3600), 2),
        };
        match self.lang.get() {
            Lang::En => {
                let unit = ["second", "minute", "hour"][unit];
                let plural = if count == 1 { "" } else { "s" };
                format!("Try again in {count} {unit}{plural}.")
            }
            Lang::Ko => format!("{count}{} 후에 다시 해 주세요.", ["초", "분", "시간"][unit]),
        }
    }

    /// What to tell the user about a failed API call, from its error code and the server's
    /// sentence (English): said in the interface's language by its code ([`refusals`]); for a
    /// code the app does not know, the server's sentence follows a Korean lead-in.
    pub fn failure(&self, code: &str, server_message: &str) -> String {
        let said = match (self.lang.get(), code) {
            // The browser's own words for a failed fetch ("TypeError: Failed to fetch") help no one.
            (Lang::En, "network") => {
                "Could not reach the server. Check your connection and try again."
            }
            (Lang::En, _) => return server_message.to_owned(),
            (Lang::Ko, "network") => {
                "서버에 연결할 수 없어요. 인터넷 연결을 확인하고 다시 해 주세요."
            }
            (Lang::Ko, code) => match refusals::korean(code) {
                Some(said) => said,
                None => return format!("요청을 처리할 수 없어요. ({server_message})"),
            },
        };
        said.to_owned()
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        if let Some(storage) = crate::browser::local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
        crate::browser::set_document_lang(lang.code());
    }
}

pub fn provide_i18n() -> I18n {
    let stored = crate::browser::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code));
    let lang = stored.unwrap_or_else(|| Lang::from_browser(&crate::browser::languages()));
    crate::browser::set_document_lang(lang.code());
    let i18n = I18n {
        lang: RwSignal::new(lang),
    };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_language_picks_korean_or_falls_back_to_english() {
        let prefs = |tags: &[&str]| tags.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        assert_eq!(Lang::from_browser(&prefs(&["ko-KR", "en-US"])), Lang::Ko);
        assert_eq!(Lang::from_browser(&prefs(&["fr-FR", "ko"])), Lang::Ko);
        assert_eq!(Lang::from_browser(&prefs(&["EN_gb"])), Lang::En);
        assert_eq!(Lang::from_browser(&prefs(&["fr"])), Lang::En);
        assert_eq!(Lang::from_browser(&[]), Lang::En);
    }

    #[test]
    fn curated_categories_are_shown_in_korean_and_others_as_typed() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n {
                lang: RwSignal::new(Lang::Ko),
            };
            assert_eq!(i18n.category("Music"), "음악");
            assert_eq!(i18n.category("Talk Shows & Podcasts"), "토크쇼 및 팟캐스트");
            assert_eq!(i18n.category("Just Chatting"), "Just Chatting");
            assert_eq!(i18n.category("Retro games"), "Retro games");
            assert_eq!(
                i18n.category("music"),
                "music",
                "stored names are canonical"
            );
            i18n.lang.set(Lang::En);
            assert_eq!(i18n.category("Music"), "Music");
        });
    }

    #[test]
    fn common_api_failures_are_said_in_the_interfaces_language() {
        let owner = Owner::new();
        owner.with(|| {
            let i18n = I18n {
                lang: RwSignal::new(Lang::Ko),
            };
            let busy = ("rate_limited", "too many requests; slow down");
            let offline = ("network", "TypeError: Failed to fetch");
            assert_eq!(
                i18n.failure(busy.0, busy.1),
                "요청이 너무 많아요. 잠시 후에 다시 해 주세요."
            );
            // With when (a limit's Retry-After), rounded up as a person says a wait.
            assert_eq!(
                i18n.too_many_requests(720),
                "요청이 너무 많아요. 12분 후에 다시 해 주세요."
            );
            assert_eq!(i18n.try_again_in(3_601), "2시간 후에 다시 해 주세요.");
            i18n.lang.set(Lang::En);
            assert_eq!(
                i18n.too_many_requests(61),
                "Too many requests. Try again in 2 minutes."
            );
            assert_eq!(i18n.try_again_in(1), "Try again in 1 second.");
            i18n.lang.set(Lang::Ko);
            assert!(
                i18n.failure(offline.0, offline.1)
                    .starts_with("서버에 연결할 수 없어요")
            );
            // A rule the user broke, said with what to do next.
            assert_eq!(
                i18n.failure(
                    "channel_live",
                    "End your broadcast to change latency, video qualities, privacy or recording."
                ),
                "방송 중에는 지연 시간, 화질, 공개 범위, 녹화 설정을 바꿀 수 없어요. 방송을 끝낸 뒤 바꿔 주세요."
            );
            assert!(i18n.failure("webhook_limit", "a channel can have at most 5 webhooks").starts_with("웹훅을 더 둘 수 없어요"));
            // A code the app does not know: refused, in the server's words.
            assert_eq!(
                i18n.failure("invalid_json", "missing field `title`"),
                "요청을 처리할 수 없어요. (missing field `title`)"
            );
            i18n.lang.set(Lang::En);
            assert_eq!(i18n.failure(busy.0, busy.1), "too many requests; slow down");
            assert_eq!(
                i18n.failure(offline.0, offline.1),
                "Could not reach the server. Check your connection and try again."
            );
        });
    }
}
