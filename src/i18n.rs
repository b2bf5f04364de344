//! English and Korean. Every string the interface shows is a field of [`Texts`], so a missing
//! translation is a compile error, not a blank label. The language comes from the browser at
//! first visit and can be switched; the choice is remembered.

use leptos::prelude::*;

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
            Self::En => &EN,
            Self::Ko => &KO,
        }
    }
}

pub struct Texts {
    pub brand_tagline: &'static str,
    pub nav_home: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_profile: &'static str,
    pub sign_in: &'static str,
    pub sign_up: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub cancel: &'static str,
    pub error_generic: &'static str,
    pub not_found: &'static str,
    pub back_home: &'static str,
    // Home
    pub live_now: &'static str,
    pub nobody_live: &'static str,
    pub channels: &'static str,
    pub recent_broadcasts: &'static str,
    pub no_broadcasts: &'static str,
    pub live: &'static str,
    pub offline: &'static str,
    pub viewers: &'static str,
    /// One viewer (English needs the singular).
    pub viewer_one: &'static str,
    /// The heading over a viewer count.
    pub viewers_title: &'static str,
    pub untitled: &'static str,
    pub private_channel: &'static str,
    pub just_now: &'static str,
    pub minutes_ago: &'static str,
    pub hours_ago: &'static str,
    pub days_ago: &'static str,
    // Player
    pub player_loading: &'static str,
    pub player_buffering: &'static str,
    pub player_offline: &'static str,
    pub player_error: &'static str,
    pub player_unsupported: &'static str,
    pub unmute: &'static str,
    pub mute: &'static str,
    pub private_locked: &'static str,
    pub latency: &'static str,
    pub past_broadcasts: &'static str,
    // Chat
    pub chat: &'static str,
    pub chat_connecting: &'static str,
    pub chat_connected: &'static str,
    pub chat_reconnecting: &'static str,
    pub chat_closed: &'static str,
    pub chat_placeholder: &'static str,
    pub send: &'static str,
    pub chat_sign_in: &'static str,
    pub chat_banned: &'static str,
    pub chat_rate_limited: &'static str,
    pub chat_filtered: &'static str,
    pub chat_too_long: &'static str,
    pub chat_failed: &'static str,
    pub chat_deleted: &'static str,
    pub chat_empty: &'static str,
    pub delete: &'static str,
    pub ban: &'static str,
    pub owner_badge: &'static str,
    pub you_were_disconnected: &'static str,
    // Auth
    pub email: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub handle: &'static str,
    pub handle_hint: &'static str,
    pub handle_available: &'static str,
    pub handle_taken: &'static str,
    pub nickname: &'static str,
    pub create_account: &'static str,
    pub have_account: &'static str,
    pub no_account: &'static str,
    pub confirm_title: &'static str,
    pub confirm_hint: &'static str,
    pub confirm_local_hint: &'static str,
    pub code: &'static str,
    pub confirm: &'static str,
    pub resend_code: &'static str,
    pub code_sent: &'static str,
    pub confirmed: &'static str,
    pub err_incorrect_login: &'static str,
    pub err_user_exists: &'static str,
    pub err_code_mismatch: &'static str,
    pub err_not_confirmed: &'static str,
    // Profile
    pub profile_title: &'static str,
    pub avatar: &'static str,
    pub avatar_url: &'static str,
    // Dashboard
    pub dashboard_title: &'static str,
    pub stream_setup: &'static str,
    pub ingest_server: &'static str,
    pub stream_key: &'static str,
    pub reveal: &'static str,
    pub hide: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub reset_key: &'static str,
    pub reset_key_confirm: &'static str,
    pub key_warning: &'static str,
    pub obs_steps: &'static str,
    pub ffmpeg_steps: &'static str,
    pub status: &'static str,
    pub health: &'static str,
    pub uptime: &'static str,
    pub settings: &'static str,
    pub title: &'static str,
    pub category: &'static str,
    pub latency_mode: &'static str,
    pub latency_low: &'static str,
    pub latency_normal: &'static str,
    pub private_label: &'static str,
    pub private_hint: &'static str,
    pub recording_label: &'static str,
    pub moderation: &'static str,
    pub bans: &'static str,
    pub no_bans: &'static str,
    pub unban: &'static str,
    pub banned_until: &'static str,
    pub banned_forever: &'static str,
    pub word_filter: &'static str,
    pub word_filter_hint: &'static str,
    pub filter_block: &'static str,
    pub filter_mask: &'static str,
    pub max_length: &'static str,
    pub max_rate: &'static str,
    pub allowed_viewers: &'static str,
    pub add_viewer: &'static str,
    pub remove: &'static str,
    pub view_channel: &'static str,
}

pub static EN: Texts = Texts {
    brand_tagline: "Live streams with low latency and chat",
    nav_home: "Home",
    nav_dashboard: "Dashboard",
    nav_profile: "Profile",
    sign_in: "Sign in",
    sign_up: "Sign up",
    sign_out: "Sign out",
    language: "Language",
    loading: "Loading…",
    retry: "Try again",
    save: "Save",
    saved: "Saved",
    cancel: "Cancel",
    error_generic: "Something went wrong.",
    not_found: "This page does not exist.",
    back_home: "Back to the home page",
    live_now: "Live now",
    nobody_live: "Nobody is live right now. Start streaming from your dashboard!",
    channels: "Channels",
    recent_broadcasts: "Recent broadcasts",
    no_broadcasts: "No past broadcasts yet.",
    live: "LIVE",
    offline: "Offline",
    viewers: "viewers",
    viewer_one: "viewer",
    viewers_title: "Viewers",
    untitled: "Untitled stream",
    private_channel: "Private",
    just_now: "just now",
    minutes_ago: "min ago",
    hours_ago: "h ago",
    days_ago: "d ago",
    player_loading: "Loading the stream…",
    player_buffering: "Buffering…",
    player_offline: "This channel is offline.",
    player_error: "The stream could not be played.",
    player_unsupported: "This browser cannot play the stream.",
    unmute: "Unmute",
    mute: "Mute",
    private_locked: "This channel is private. Ask the streamer to let you watch.",
    latency: "Latency",
    past_broadcasts: "Past broadcasts",
    chat: "Chat",
    chat_connecting: "Connecting…",
    chat_connected: "Connected",
    chat_reconnecting: "Reconnecting…",
    chat_closed: "Disconnected",
    chat_placeholder: "Send a message",
    send: "Send",
    chat_sign_in: "Sign in to chat.",
    chat_banned: "You are banned from this chat.",
    chat_rate_limited: "Slow down: the chat is busy.",
    chat_filtered: "Your message contains a word this channel does not allow.",
    chat_too_long: "Your message is too long.",
    chat_failed: "Your message could not be sent.",
    chat_deleted: "A message was removed by a moderator.",
    chat_empty: "No messages yet. Say hello!",
    delete: "Delete",
    ban: "Ban",
    owner_badge: "Streamer",
    you_were_disconnected: "You were disconnected by a moderator.",
    email: "Email",
    password: "Password",
    password_hint: "At least 8 characters with upper and lower case letters, a number and a symbol.",
    handle: "Channel name",
    handle_hint: "3–25 letters a–z, digits or _. Your channel lives at /name.",
    handle_available: "Available",
    handle_taken: "Taken",
    nickname: "Nickname",
    create_account: "Create account",
    have_account: "Already have an account?",
    no_account: "New here?",
    confirm_title: "Confirm your email",
    confirm_hint: "Enter the code we sent to your email.",
    confirm_local_hint: "Running locally: the code is printed in the server's log.",
    code: "Confirmation code",
    confirm: "Confirm",
    resend_code: "Send a new code",
    code_sent: "A new code is on its way.",
    confirmed: "Confirmed! You can sign in now.",
    err_incorrect_login: "Incorrect email or password.",
    err_user_exists: "An account with this email already exists.",
    err_code_mismatch: "That code is not right. Check it or ask for a new one.",
    err_not_confirmed: "Confirm your email first.",
    profile_title: "Your profile",
    avatar: "Avatar",
    avatar_url: "Or an image URL (https://…)",
    dashboard_title: "Creator dashboard",
    stream_setup: "Stream setup",
    ingest_server: "Server",
    stream_key: "Stream key",
    reveal: "Reveal",
    hide: "Hide",
    copy: "Copy",
    copied: "Copied",
    reset_key: "Reset key",
    reset_key_confirm: "Reset the stream key? Your encoder stops working until you paste the new key.",
    key_warning: "Keep your stream key secret: anyone with it can stream on your channel.",
    obs_steps: "OBS: Settings → Stream → Service: Custom, paste the server and the key. Output → Keyframe interval: 1 s.",
    ffmpeg_steps: "ffmpeg:",
    status: "Status",
    health: "Health",
    uptime: "Uptime",
    settings: "Stream settings",
    title: "Title",
    category: "Category",
    latency_mode: "Latency",
    latency_low: "Low (under 5 s)",
    latency_normal: "Normal (~10 s, steadier)",
    private_label: "Private channel",
    private_hint: "Only viewers you allow can watch and chat.",
    recording_label: "Record broadcasts",
    moderation: "Moderation",
    bans: "Banned users",
    no_bans: "Nobody is banned.",
    unban: "Unban",
    banned_until: "until",
    banned_forever: "permanently",
    word_filter: "Filtered words",
    word_filter_hint: "One per line. Matches anywhere in a message, any letter case.",
    filter_block: "Block the message",
    filter_mask: "Mask the words (****)",
    max_length: "Maximum message length",
    max_rate: "Messages per second (whole room)",
    allowed_viewers: "Allowed viewers",
    add_viewer: "Add by channel name",
    remove: "Remove",
    view_channel: "View channel",
};

pub static KO: Texts = Texts {
    brand_tagline: "지연 없는 라이브 방송과 채팅",
    nav_home: "홈",
    nav_dashboard: "대시보드",
    nav_profile: "프로필",
    sign_in: "로그인",
    sign_up: "회원가입",
    sign_out: "로그아웃",
    language: "언어",
    loading: "불러오는 중…",
    retry: "다시 시도",
    save: "저장",
    saved: "저장됨",
    cancel: "취소",
    error_generic: "문제가 발생했습니다.",
    not_found: "없는 페이지입니다.",
    back_home: "홈으로 돌아가기",
    live_now: "지금 방송 중",
    nobody_live: "지금은 방송 중인 채널이 없어요. 대시보드에서 방송을 시작해 보세요!",
    channels: "채널",
    recent_broadcasts: "최근 방송",
    no_broadcasts: "아직 지난 방송이 없습니다.",
    live: "생방송",
    offline: "오프라인",
    viewers: "명 시청 중",
    viewer_one: "명 시청 중",
    viewers_title: "시청자",
    untitled: "제목 없는 방송",
    private_channel: "비공개",
    just_now: "방금",
    minutes_ago: "분 전",
    hours_ago: "시간 전",
    days_ago: "일 전",
    player_loading: "방송을 불러오는 중…",
    player_buffering: "버퍼링 중…",
    player_offline: "지금은 방송 중이 아닙니다.",
    player_error: "방송을 재생할 수 없습니다.",
    player_unsupported: "이 브라우저에서는 재생할 수 없습니다.",
    unmute: "소리 켜기",
    mute: "소리 끄기",
    private_locked: "비공개 채널입니다. 스트리머에게 시청 허락을 받으세요.",
    latency: "지연",
    past_broadcasts: "지난 방송",
    chat: "채팅",
    chat_connecting: "연결 중…",
    chat_connected: "연결됨",
    chat_reconnecting: "다시 연결하는 중…",
    chat_closed: "연결 끊김",
    chat_placeholder: "메시지 보내기",
    send: "보내기",
    chat_sign_in: "채팅하려면 로그인하세요.",
    chat_banned: "이 채팅에서 차단되었습니다.",
    chat_rate_limited: "채팅이 너무 빠릅니다. 잠시 후 다시 시도하세요.",
    chat_filtered: "이 채널에서 허용하지 않는 단어가 포함되어 있습니다.",
    chat_too_long: "메시지가 너무 깁니다.",
    chat_failed: "메시지를 보내지 못했습니다.",
    chat_deleted: "관리자가 메시지를 삭제했습니다.",
    chat_empty: "아직 메시지가 없어요. 인사해 보세요!",
    delete: "삭제",
    ban: "차단",
    owner_badge: "스트리머",
    you_were_disconnected: "관리자에 의해 연결이 끊어졌습니다.",
    email: "이메일",
    password: "비밀번호",
    password_hint: "대문자, 소문자, 숫자, 특수문자를 포함해 8자 이상.",
    handle: "채널 이름",
    handle_hint: "영문 소문자, 숫자, _ 3–25자. 채널 주소는 /이름 입니다.",
    handle_available: "사용 가능",
    handle_taken: "사용 중",
    nickname: "닉네임",
    create_account: "가입하기",
    have_account: "이미 계정이 있나요?",
    no_account: "처음이신가요?",
    confirm_title: "이메일 인증",
    confirm_hint: "이메일로 받은 인증 코드를 입력하세요.",
    confirm_local_hint: "로컬 실행 중: 인증 코드는 서버 로그에 출력됩니다.",
    code: "인증 코드",
    confirm: "인증하기",
    resend_code: "코드 다시 받기",
    code_sent: "새 코드를 보냈습니다.",
    confirmed: "인증되었습니다! 이제 로그인하세요.",
    err_incorrect_login: "이메일 또는 비밀번호가 올바르지 않습니다.",
    err_user_exists: "이미 가입된 이메일입니다.",
    err_code_mismatch: "코드가 올바르지 않습니다. 확인하거나 새 코드를 받으세요.",
    err_not_confirmed: "먼저 이메일을 인증하세요.",
    profile_title: "내 프로필",
    avatar: "아바타",
    avatar_url: "또는 이미지 주소 (https://…)",
    dashboard_title: "크리에이터 대시보드",
    stream_setup: "방송 설정",
    ingest_server: "서버",
    stream_key: "스트림 키",
    reveal: "보기",
    hide: "숨기기",
    copy: "복사",
    copied: "복사됨",
    reset_key: "키 재발급",
    reset_key_confirm: "스트림 키를 재발급할까요? 새 키를 입력할 때까지 방송 프로그램이 연결되지 않습니다.",
    key_warning: "스트림 키는 비밀로 하세요. 키가 있으면 누구나 내 채널로 방송할 수 있습니다.",
    obs_steps: "OBS: 설정 → 방송 → 서비스: 사용자 지정, 서버와 키를 붙여넣으세요. 출력 → 키프레임 간격: 1초.",
    ffmpeg_steps: "ffmpeg:",
    status: "상태",
    health: "스트림 상태",
    uptime: "방송 시간",
    settings: "방송 정보",
    title: "제목",
    category: "카테고리",
    latency_mode: "지연 모드",
    latency_low: "낮음 (5초 미만)",
    latency_normal: "보통 (약 10초, 안정적)",
    private_label: "비공개 채널",
    private_hint: "허락한 시청자만 보고 채팅할 수 있습니다.",
    recording_label: "방송 녹화",
    moderation: "채팅 관리",
    bans: "차단한 사용자",
    no_bans: "차단한 사용자가 없습니다.",
    unban: "차단 해제",
    banned_until: "까지",
    banned_forever: "영구",
    word_filter: "금지어",
    word_filter_hint: "한 줄에 하나씩. 대소문자 구분 없이 메시지 어디에서나 찾습니다.",
    filter_block: "메시지 차단",
    filter_mask: "단어 가리기 (****)",
    max_length: "메시지 최대 길이",
    max_rate: "초당 메시지 수 (채팅방 전체)",
    allowed_viewers: "시청 허용",
    add_viewer: "채널 이름으로 추가",
    remove: "삭제",
    view_channel: "채널 보기",
};

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

    /// "1 viewer", "12 viewers", "1.2K viewers"; "12명 시청 중".
    pub fn viewers(&self, count: u64) -> String {
        let t = self.t();
        let word = if count == 1 { t.viewer_one } else { t.viewers };
        match self.lang.get() {
            Lang::En => format!("{} {word}", crate::time::compact_count(count)),
            Lang::Ko => format!("{}{word}", crate::time::compact_count(count)),
        }
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
}
