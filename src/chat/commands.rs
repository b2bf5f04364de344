//! Commands the room's owner and moderators type in the chat box, as streamers know them from
//! other sites: `/timeout name [minutes] [reason]`, `/ban name [reason]`, `/unban name`,
//! `/shield` and `/shieldoff`. Each is the request the card's and the shield's buttons send (the
//! API checks who may), aimed at a name: someone the page saw in the chat, or else the owner of
//! the channel with that handle. The page says what came of it. Anyone else's `/…` is a message
//! like any other. Its words live here.

use cloumer_api_types::{BanRequest, TimeoutRequest};
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::chat::ChatClient;
use crate::i18n::I18n;

/// A command as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `act` on the user called `name`.
    On { name: String, act: Act },
    /// Shield mode raised (`true`) or lowered.
    Shield(bool),
}

/// What a command does to someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    TimeOut {
        minutes: u32,
        reason: Option<String>,
    },
    Ban {
        reason: Option<String>,
    },
    /// Lifts a timeout or a ban.
    Unban,
}

/// A timeout's length when none is typed, and the longest one (a day).
const DEFAULT_MINUTES: u32 = 10;
const MAX_MINUTES: u32 = 1440;

/// `text` read as a command: `None` when it is none (it does not start with `/`), `Err` when it
/// names none this page knows or leaves out whom it is for (the page then lists them).
pub fn parse(text: &str) -> Option<Result<Command, ()>> {
    let rest = text.trim().strip_prefix('/')?;
    let mut words = rest.split_whitespace();
    let verb = words.next().unwrap_or_default().to_ascii_lowercase();
    let name = words
        .next()
        .map(|n| n.trim_start_matches('@').to_ascii_lowercase());
    let mut rest: Vec<&str> = words.collect();
    let reason = |words: &[&str]| (!words.is_empty()).then(|| words.join(" "));
    Some(match (verb.as_str(), name) {
        ("timeout", Some(name)) if !name.is_empty() => {
            let minutes = match rest.first().map(|m| m.parse::<u32>()) {
                Some(Ok(minutes)) => {
                    rest.remove(0);
                    minutes
                }
                _ => DEFAULT_MINUTES,
            };
            if !(1..=MAX_MINUTES).contains(&minutes) {
                return Some(Err(()));
            }
            Ok(Command::On {
                name,
                act: Act::TimeOut {
                    minutes,
                    reason: reason(&rest),
                },
            })
        }
        ("ban", Some(name)) if !name.is_empty() => Ok(Command::On {
            name,
            act: Act::Ban {
                reason: reason(&rest),
            },
        }),
        ("unban" | "untimeout", Some(name)) if !name.is_empty() => Ok(Command::On {
            name,
            act: Act::Unban,
        }),
        ("shield", None) => Ok(Command::Shield(true)),
        ("shieldoff", None) => Ok(Command::Shield(false)),
        _ => Err(()),
    })
}

pub struct CommandTexts {
    /// `{name}`, `{n}`.
    pub timed_out: &'static str,
    pub banned: &'static str,
    pub unbanned: &'static str,
    pub shield_up: &'static str,
    pub shield_down: &'static str,
    /// `{name}`.
    pub nobody: &'static str,
    /// `{name}`: someone this user may not act on (themselves, the owner, another moderator).
    pub not_theirs: &'static str,
    pub help: &'static str,
}

pub const EN: CommandTexts = CommandTexts {
    timed_out: "{name} is timed out for {n} minutes.",
    banned: "{name} is banned from the chat.",
    unbanned: "{name} may chat again.",
    shield_up: "Shield mode is on.",
    shield_down: "Shield mode is off.",
    nobody: "No one here or on Cloumer is called {name}.",
    not_theirs: "You can't do that to {name}.",
    help: "Commands: /timeout name [minutes] [reason], /ban name [reason], /unban name, /shield, /shieldoff",
};

pub const KO: CommandTexts = CommandTexts {
    timed_out: "{name} 님을 {n}분 동안 타임아웃했어요.",
    banned: "{name} 님을 채팅에서 차단했어요.",
    unbanned: "{name} 님이 다시 채팅할 수 있어요.",
    shield_up: "보호 모드를 켰어요.",
    shield_down: "보호 모드를 껐어요.",
    nobody: "{name}(이)라는 사람은 여기에도 Cloumer에도 없어요.",
    not_theirs: "{name} 님에게는 할 수 없어요.",
    help: "명령어: /timeout 이름 [분] [사유], /ban 이름 [사유], /unban 이름, /shield, /shieldoff",
};

/// The user `name` (a handle, any case) means, and their role in the room: someone the page saw
/// in the chat, or else the owner of the channel with that handle (a viewer, as far as the page
/// knows: the API refuses what a role forbids).
async fn whom(chat: ChatClient, api: Api, name: &str) -> Result<(String, String), ApiError> {
    let seen = chat.lines.with_untracked(|lines| {
        lines
            .iter()
            .rev()
            .find(|line| line.handle.eq_ignore_ascii_case(name))
            .map(|line| (line.sender_id.clone(), line.role.clone()))
    });
    let present = || {
        chat.presence.with_untracked(|presence| {
            presence.as_ref().and_then(|p| {
                p.users
                    .iter()
                    .find(|u| u.handle.eq_ignore_ascii_case(name))
                    .map(|u| (u.user_id.clone(), u.role.clone()))
            })
        })
    };
    if let Some(found) = seen.or_else(present) {
        return Ok(found);
    }
    let channel = api.channel(name).await?;
    let role = if channel
        .summary
        .handle
        .eq_ignore_ascii_case(&chat.handle.get_value())
    {
        "owner"
    } else {
        "viewer"
    };
    Ok((channel.owner_id, role.to_owned()))
}

/// Carries out `command` in `chat`'s room; what to tell the user of it.
pub async fn run(command: Command, chat: ChatClient, api: Api, i18n: I18n) -> String {
    let t = i18n.pick(&EN, &KO);
    let room = chat.handle.get_value();
    let said = |text: &str, name: &str| text.replace("{name}", name);
    let (name, act) = match command {
        Command::Shield(raised) => {
            return match api.set_shield(&room, raised).await {
                Ok(shield) => {
                    chat.shield.set(shield.raised);
                    if shield.raised {
                        t.shield_up
                    } else {
                        t.shield_down
                    }
                    .to_owned()
                }
                Err(error) => error.explained(i18n),
            };
        }
        Command::On { name, act } => (name, act),
    };
    let (user, role) = match whom(chat, api, &name).await {
        Ok(found) => found,
        // Not a handle at all (400), or no channel has it (404).
        Err(error) if matches!(error.status, 400 | 404) => return said(t.nobody, &name),
        Err(error) => return error.explained(i18n),
    };
    if act != Act::Unban && !chat.may_act_on(&user, &role) {
        return said(t.not_theirs, &name);
    }
    let outcome = match act {
        Act::TimeOut { minutes, reason } => {
            let request = TimeoutRequest {
                duration_minutes: minutes,
                reason,
            };
            api.time_out(&room, &user, &request)
                .await
                .map(|_| said(t.timed_out, &name).replace("{n}", &minutes.to_string()))
        }
        Act::Ban { reason } => {
            let request = BanRequest {
                reason,
                duration_minutes: None,
            };
            api.ban(&room, &user, &request)
                .await
                .map(|_| said(t.banned, &name))
        }
        Act::Unban => api
            .unban(&room, &user)
            .await
            .map(|()| said(t.unbanned, &name)),
    };
    outcome.unwrap_or_else(|error| error.explained(i18n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeout(name: &str, minutes: u32, reason: Option<&str>) -> Command {
        Command::On {
            name: name.into(),
            act: Act::TimeOut {
                minutes,
                reason: reason.map(Into::into),
            },
        }
    }

    #[test]
    fn commands_are_read_as_streamers_type_them() {
        assert_eq!(parse("hello /ban troll"), None, "not a command");
        assert_eq!(
            parse("/timeout @Troll 5 too loud"),
            Some(Ok(timeout("troll", 5, Some("too loud"))))
        );
        assert_eq!(
            parse("  /TIMEOUT troll  "),
            Some(Ok(timeout("troll", 10, None)))
        );
        assert_eq!(
            parse("/timeout troll spamming links"),
            Some(Ok(timeout("troll", 10, Some("spamming links"))))
        );
        assert_eq!(
            parse("/ban 바보 욕설"),
            Some(Ok(Command::On {
                name: "바보".into(),
                act: Act::Ban {
                    reason: Some("욕설".into())
                }
            }))
        );
        assert_eq!(
            parse("/untimeout @troll"),
            Some(Ok(Command::On {
                name: "troll".into(),
                act: Act::Unban
            }))
        );
        assert_eq!(parse("/shield"), Some(Ok(Command::Shield(true))));
        assert_eq!(parse("/shieldoff"), Some(Ok(Command::Shield(false))));
        for misused in [
            "/",
            "/ban",
            "/ban @",
            "/timeout troll 0",
            "/timeout troll 1441",
            "/shield now",
            "/me waves",
        ] {
            assert_eq!(parse(misused), Some(Err(())), "{misused}");
        }
    }
}
