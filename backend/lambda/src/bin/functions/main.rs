//! `functions`: every Cloumer Lambda function, one module each, in one binary. `_HANDLER` (the
//! function's `handler` setting, which Lambda hands a `provided` runtime) names the one to run.
//!
//! One binary rather than one per function because a release build for Lambda optimises the
//! whole program at link time, once per binary: seven binaries spent about seven minutes of every
//! package on optimising the same AWS SDK again, and shipped it seven times.

mod api;
mod chat_review;
mod email_sender;
mod go_live;
mod post_confirmation;
mod stream_events;
mod video_events;

fn main() -> anyhow::Result<()> {
    cloumer_lambda::init_logging();
    let handler = std::env::var("_HANDLER").unwrap_or_default();
    let function = Function::named(&handler).ok_or_else(|| {
        anyhow::anyhow!(
            "_HANDLER is {handler:?}; it names the function to run, one of: {}",
            Function::ALL.map(Function::name).join(", ")
        )
    })?;
    cloumer_lambda::runtime()?.block_on(function.run())
}

/// The functions this binary runs; each name is a `handler` in Terraform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Function {
    Api,
    ChatReview,
    EmailSender,
    GoLive,
    PostConfirmation,
    StreamEvents,
    VideoEvents,
}

impl Function {
    const ALL: [Self; 7] = [
        Self::Api,
        Self::ChatReview,
        Self::EmailSender,
        Self::GoLive,
        Self::PostConfirmation,
        Self::StreamEvents,
        Self::VideoEvents,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::ChatReview => "chat-review",
            Self::EmailSender => "email-sender",
            Self::GoLive => "go-live",
            Self::PostConfirmation => "post-confirmation",
            Self::StreamEvents => "stream-events",
            Self::VideoEvents => "video-events",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|function| function.name() == name)
    }

    async fn run(self) -> anyhow::Result<()> {
        match self {
            Self::Api => api::run().await,
            Self::ChatReview => chat_review::run().await,
            Self::EmailSender => email_sender::run().await,
            Self::GoLive => go_live::run().await,
            Self::PostConfirmation => post_confirmation::run().await,
            Self::StreamEvents => stream_events::run().await,
            Self::VideoEvents => video_events::run().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Function;

    /// Every module beside this file is a function with the module's name (`-` for `_`), and
    /// nothing else is: Terraform's handlers are checked against these names (tests/infra.rs).
    #[test]
    fn every_module_is_a_function_by_its_name() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/functions");
        let mut modules: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|file| file.strip_suffix(".rs").map(|stem| stem.replace('_', "-")))
            .filter(|name| name != "main")
            .collect();
        modules.sort();
        let names: Vec<&str> = Function::ALL.map(Function::name).to_vec();
        assert_eq!(modules, names);
        for function in Function::ALL {
            assert_eq!(Function::named(function.name()), Some(function));
        }
        assert_eq!(Function::named(""), None);
        assert_eq!(Function::named("API"), None);
    }
}
