//! English and Korean. Every string the interface shows is a field of [`Texts`], so a missing
//! translation is a compile error, not a blank label. The language comes from the browser at
//! first visit and can be switched; the choice is remembered.

mod en;
mod ko;
mod texts;

use leptos::prelude::*;

pub use texts::Texts;

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

    /// "1 viewer", "12 viewers", "1.2K viewers"; "12명 시청 중".
    pub fn viewers(&self, count: u64) -> String {
        let t = self.t();
        let word = if count == 1 { t.viewer_one } else { t.viewers };
        match self.lang.get() {
            Lang::En => format!("{} {word}", crate::time::compact_count(count)),
            Lang::Ko => format!("{}{word}", crate::time::compact_count(count)),
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
