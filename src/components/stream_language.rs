//! The language a stream is in, as the apps show and offer it: each language by its own name,
//! which its speakers read whatever language the site is in.

use cloumer_api_types::STREAM_LANGUAGES;
use leptos::prelude::*;

/// The language's own name, for a code the API gave.
pub fn language_name(code: &str) -> Option<&'static str> {
    STREAM_LANGUAGES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, name)| *name)
}

/// An `<option>` for every stream language, by its own name.
pub fn language_options() -> impl IntoView {
    STREAM_LANGUAGES
        .iter()
        .map(|(code, name)| view! { <option value=*code>{*name}</option> })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_own_name() {
        assert_eq!(language_name("ko"), Some("한국어"));
        assert_eq!(language_name("en"), Some("English"));
        assert_eq!(language_name("xx"), None);
        assert_eq!(language_name(""), None);
    }
}
