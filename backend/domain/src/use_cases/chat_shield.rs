//! Shield mode: one switch for a room under attack (a hate raid, a flood of fresh accounts).
//! Raising it holds viewers at once to strict rules ([`ChatRules::shielded`]: a ten-minute
//! follow, a day-old account, slow mode, no links, no repeats) without the owner or a moderator
//! setting each while the room fills; lowering it returns the rules the room had. The room hears
//! the new rules as it does any change of them (`app:CHAT_RULES`, with `Shield`).
//!
//! [`ChatRules::shielded`]: crate::chat_rules::ChatRules::shielded

use crate::channel::{Channel, Shield};
use crate::error::DomainResult;
use crate::identity::Identity;
use crate::moderation_log::ModerationAction;
use crate::platform::Platform;
use crate::use_cases::chat_moderation::ChatOf;

impl Platform {
    /// Raises (`raise`) or lowers shield mode on the chat of the caller's channel or one they
    /// moderate. Raising a raised shield, or lowering a lowered one, changes nothing and logs
    /// nothing. Rules changed while it is up: a word filter or the room's limits stay when it is
    /// lowered; the viewers' rules it raised return to what they were before it.
    pub async fn set_shield(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        raise: bool,
    ) -> DomainResult<Channel> {
        let moderating = self.moderating(who, of).await?;
        self.count_channel_change(who).await?;
        let (now, by) = (self.now(), moderating.actor_nickname.clone());
        let mut before = None;
        let (channel, changed) = self
            .modify_channel(&moderating.channel.id, |c| {
                before = Some((c.chat_rules.clone(), c.shield.is_some()));
                match (raise, c.shield.take()) {
                    (true, None) => {
                        c.shield = Some(Shield {
                            rules_before: c.chat_rules.clone(),
                            raised_by: by.clone(),
                            raised_at: now,
                        });
                        c.chat_rules = c.chat_rules.shielded();
                        Ok(true)
                    }
                    (false, Some(shield)) => {
                        c.chat_rules = c.chat_rules.unshielded(&shield.rules_before);
                        Ok(true)
                    }
                    (_, unchanged) => {
                        c.shield = unchanged;
                        Ok(false)
                    }
                }
            })
            .await?;
        if changed && let Some((rules, shielded)) = &before {
            self.tell_room_rules(&channel, rules, *shielded).await;
            let action = if raise {
                ModerationAction::RaiseShield
            } else {
                ModerationAction::LowerShield
            };
            self.log_moderation(&moderating, action, None, None).await?;
        }
        Ok(channel)
    }
}
