//! Domain values to wire types.

use cloumer_api_types as api;
use cloumer_domain::about::ChannelAbout;
use cloumer_domain::audience::StreamSummary;
use cloumer_domain::channel::Channel;
use cloumer_domain::channel::{ChannelType, LatencyMode, RaidPolicy};
use cloumer_domain::chat::{PinnedMessage, StoredMessage};
use cloumer_domain::chat_rules::{ChatRules, FilterMode};
use cloumer_domain::clip::{Clip, ClipStatus};
use cloumer_domain::follow::FollowStatus;
use cloumer_domain::ids::UserId;
use cloumer_domain::moderation::Ban;
use cloumer_domain::moderation_log::{ModerationAction, ModerationEntry};
use cloumer_domain::notification::{Notification, NotificationKind};
use cloumer_domain::playback::ViewerGrant;
use cloumer_domain::poll::PollView;
use cloumer_domain::ports::StreamHealth;
use cloumer_domain::profile::Profile;
use cloumer_domain::recording::{Recording, RecordingStatus, StreamMarker};
use cloumer_domain::report::{Report, ReportAction, ReportReason, ReportSubject};
use cloumer_domain::schedule::{Day, PlannedStream, Schedule};
use cloumer_domain::use_cases::blocks::BlockedUser;
use cloumer_domain::use_cases::chatter_cards::ChatterCard;
use cloumer_domain::use_cases::directory::ChannelView;
use cloumer_domain::use_cases::follows::Follower;
use cloumer_domain::use_cases::moderators::Moderator;
use cloumer_domain::use_cases::sent_messages::SentMessage;
use cloumer_domain::video::{Video, VideoStatus};
use cloumer_domain::webhook::Webhook;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

pub fn me(profile: &Profile, channel: &Channel, staff: bool) -> api::Me {
    api::Me {
        user_id: profile.user_id.to_string(),
        username: profile.username.clone(),
        handle: channel.handle.to_string(),
        nickname: profile.nickname.as_str().to_owned(),
        avatar: profile.avatar.as_str().to_owned(),
        language: profile.language.code().to_owned(),
        email: profile.email.clone(),
        email_notifications: profile.notifications.email,
        staff,
    }
}

pub fn summary(view: &ChannelView) -> api::ChannelSummary {
    let channel = &view.channel;
    api::ChannelSummary {
        handle: channel.handle.to_string(),
        owner_nickname: channel.owner_nickname.as_str().to_owned(),
        owner_avatar: channel.owner_avatar.as_str().to_owned(),
        title: channel.title.as_str().to_owned(),
        category: channel.category.as_str().to_owned(),
        live: view.is_live(),
        private: channel.private,
        mature: channel.mature,
        language: channel.language.as_ref().map(|l| l.as_str().to_owned()),
        viewer_count: view.viewer_count(),
        started_at: channel.live.started_at.map(rfc3339),
        // A private channel's frames are not for the public listing.
        thumbnail_url: if view.is_live() && !channel.private {
            view.thumbnail_url().map(str::to_owned)
        } else {
            None
        },
    }
}

pub fn latency(mode: LatencyMode) -> &'static str {
    match mode {
        LatencyMode::Low => "LOW",
        LatencyMode::Normal => "NORMAL",
    }
}

pub fn raid_policy(policy: RaidPolicy) -> &'static str {
    match policy {
        RaidPolicy::Everyone => "EVERYONE",
        RaidPolicy::Followed => "FOLLOWED",
        RaidPolicy::Nobody => "NOBODY",
    }
}

pub fn channel_type(kind: ChannelType) -> &'static str {
    match kind {
        ChannelType::Standard => "STANDARD",
        ChannelType::Basic => "BASIC",
    }
}

fn health(health: StreamHealth) -> &'static str {
    match health {
        StreamHealth::Healthy => "HEALTHY",
        StreamHealth::Starving => "STARVING",
        StreamHealth::Unknown => "UNKNOWN",
    }
}

pub fn page(view: &ChannelView) -> api::ChannelPage {
    let playback_url = (!view.channel.private && view.channel.suspension.is_none())
        .then(|| view.channel.video.as_ref().map(|v| v.playback_url.clone()))
        .flatten();
    api::ChannelPage {
        summary: summary(view),
        owner_id: view.channel.owner.to_string(),
        latency_mode: latency(view.channel.latency).to_owned(),
        health: view
            .status
            .as_ref()
            .map(|s| health(s.health).to_owned())
            .or_else(|| view.is_live().then(|| "UNKNOWN".to_owned())),
        can_watch: view.can_watch,
        suspended: view.channel.suspension.is_some(),
        role: view.role.as_str().to_owned(),
        playback_url,
        followers: view.follow.map_or(0, |f| f.followers),
        following: view.follow.is_some_and(|f| f.following),
        notify: view.follow.is_some_and(|f| f.notify),
        upcoming: view.upcoming.iter().map(planned_stream).collect(),
        about: view.about.as_ref().map(about),
    }
}

pub fn about(about: &ChannelAbout) -> api::AboutBody {
    api::AboutBody {
        bio: about.bio.clone(),
        links: about
            .links
            .iter()
            .map(|link| api::AboutLinkBody {
                label: link.label.clone(),
                url: link.url.clone(),
            })
            .collect(),
    }
}

pub fn planned_stream(planned: &PlannedStream) -> api::PlannedStreamBody {
    api::PlannedStreamBody {
        starts_at: rfc3339(planned.starts_at),
        ends_at: rfc3339(planned.ends_at),
        title: planned.title.clone(),
    }
}

pub fn day(day: Day) -> &'static str {
    match day {
        Day::Mon => "MON",
        Day::Tue => "TUE",
        Day::Wed => "WED",
        Day::Thu => "THU",
        Day::Fri => "FRI",
        Day::Sat => "SAT",
        Day::Sun => "SUN",
    }
}

pub fn schedule(schedule: &Schedule) -> api::ScheduleBody {
    api::ScheduleBody {
        time_zone: schedule.time_zone.clone(),
        slots: schedule
            .slots
            .iter()
            .map(|slot| api::ScheduleSlotBody {
                day: day(slot.day).to_owned(),
                start: format!(
                    "{:02}:{:02}",
                    slot.start_minute / 60,
                    slot.start_minute % 60
                ),
                duration_minutes: slot.duration_minutes,
                title: slot.title.clone(),
            })
            .collect(),
    }
}

pub fn follow(status: FollowStatus) -> api::FollowBody {
    api::FollowBody {
        followers: status.followers,
        following: status.following,
        notify: status.notify,
    }
}

pub fn my_channel(view: &ChannelView) -> api::MyChannel {
    let suspension = view.channel.suspension.as_ref();
    api::MyChannel {
        page: page(view),
        recording: view.channel.recording,
        channel_type: channel_type(view.channel.channel_type).to_owned(),
        raids: raid_policy(view.channel.raids).to_owned(),
        ingest_server: view
            .channel
            .video
            .as_ref()
            .map(|v| v.ingest_server.clone())
            .unwrap_or_default(),
        chat_rules: chat_rules(&view.channel.chat_rules),
        schedule: view.channel.schedule.as_ref().map(schedule),
        suspended_for: suspension.map(|s| report_reason(s.reason)),
        suspended_since: suspension.map(|s| rfc3339(s.since)),
        suspended_until: suspension.and_then(|s| s.until).map(rfc3339),
        appealed_at: suspension.and_then(|s| s.appealed_at).map(rfc3339),
        appeal_rejected_at: suspension.and_then(|s| s.appeal_rejected_at).map(rfc3339),
    }
}

pub fn chat_rules(rules: &ChatRules) -> api::ChatRules {
    api::ChatRules {
        max_message_length: rules.max_message_length,
        max_messages_per_second: rules.max_messages_per_second,
        filtered_words: rules.word_filter.words().to_vec(),
        filter_mode: match rules.word_filter.mode {
            FilterMode::Block => "BLOCK",
            FilterMode::Mask => "MASK",
        }
        .to_owned(),
        slow_mode_seconds: rules.slow_mode_seconds,
        min_account_age_minutes: rules.min_account_age_minutes,
        followers_only_minutes: rules.followers_only_minutes,
        emote_only: rules.emote_only,
        links_off: rules.links_off,
        unique_chat: rules.unique_chat,
    }
}

pub fn shield(channel: &Channel) -> api::ShieldBody {
    let shield = channel.shield.as_ref();
    api::ShieldBody {
        raised: shield.is_some(),
        raised_by: shield.map(|s| s.raised_by.clone()),
        raised_at: shield.map(|s| rfc3339(s.raised_at)),
        rules: chat_rules(&channel.chat_rules),
    }
}

pub fn sent_message(sent: &SentMessage) -> api::SentMessageBody {
    api::SentMessageBody {
        channel: sent.handle.as_ref().map(ToString::to_string),
        message: message(&sent.message),
    }
}

pub fn message(message: &StoredMessage) -> api::ChatMessageBody {
    let attribute = |key: &str| {
        message
            .sender_attributes
            .get(key)
            .cloned()
            .unwrap_or_default()
    };
    api::ChatMessageBody {
        id: message.id.to_string(),
        sent_at: rfc3339(message.sent_at),
        sender: api::ChatSender {
            user_id: message.sender.to_string(),
            handle: attribute("handle"),
            nickname: attribute("nickname"),
            avatar: attribute("avatar"),
            role: attribute("role"),
        },
        content: message.content.clone(),
        attributes: message.attributes.clone(),
    }
}

pub fn pinned(pinned: &PinnedMessage) -> api::PinnedMessageBody {
    api::PinnedMessageBody {
        message: message(&pinned.message),
        pinned_by: pinned.pinned_by_nickname.clone(),
        pinned_at: rfc3339(pinned.pinned_at),
    }
}

pub fn poll(view: &PollView) -> api::PollBody {
    let poll = &view.poll;
    api::PollBody {
        id: poll.id.to_string(),
        question: poll.question.clone(),
        choices: poll.choices.clone(),
        votes: view.votes.clone(),
        my_vote: view.my_vote,
        open: view.open,
        opened_by: poll.opened_by_nickname.clone(),
        opened_at: rfc3339(poll.opened_at),
        ends_at: rfc3339(poll.ends_at),
        ended_early_at: poll.ended_early_at.map(rfc3339),
    }
}

pub fn ban(ban: &Ban) -> api::BanBody {
    api::BanBody {
        user_id: ban.user_id.to_string(),
        nickname: ban.nickname.clone(),
        reason: ban.reason.clone(),
        created_at: rfc3339(ban.created_at),
        expires_at: ban.expires_at.map(rfc3339),
        timeout: ban.timeout,
    }
}

pub fn chatter_card(card: &ChatterCard) -> api::ChatterCard {
    api::ChatterCard {
        user_id: card.user_id.to_string(),
        nickname: card.nickname.as_str().to_owned(),
        avatar: card.avatar.as_str().to_owned(),
        handle: card.handle.to_string(),
        joined_at: rfc3339(card.joined_at),
        role: card.role.as_str().to_owned(),
        followed_at: card.followed_at.map(rfc3339),
        restriction: card.restriction.as_ref().map(ban),
        history: card.history.iter().map(moderation_entry).collect(),
        recent_messages: card.recent_messages.iter().map(message).collect(),
    }
}

pub fn moderator(moderator: &Moderator) -> api::ModeratorBody {
    api::ModeratorBody {
        user_id: moderator.user_id.to_string(),
        handle: moderator.handle.clone(),
        nickname: moderator.nickname.clone(),
        avatar: moderator.avatar.clone(),
    }
}

pub fn moderation_entry(entry: &ModerationEntry) -> api::ModerationEntryBody {
    let (action, until, message_id, excerpt) = match &entry.action {
        ModerationAction::DeleteMessage {
            message_id,
            excerpt,
        } => (
            "delete_message",
            None,
            Some(message_id.to_string()),
            excerpt.clone(),
        ),
        ModerationAction::Timeout { until } => ("timeout", Some(rfc3339(*until)), None, None),
        ModerationAction::Ban { until } => ("ban", until.map(rfc3339), None, None),
        ModerationAction::Unban => ("unban", None, None, None),
        ModerationAction::PinMessage {
            message_id,
            excerpt,
        } => (
            "pin_message",
            None,
            Some(message_id.to_string()),
            excerpt.clone(),
        ),
        ModerationAction::UnpinMessage {
            message_id,
            excerpt,
        } => (
            "unpin_message",
            None,
            Some(message_id.to_string()),
            excerpt.clone(),
        ),
        ModerationAction::AddModerator => ("add_moderator", None, None, None),
        ModerationAction::RemoveModerator => ("remove_moderator", None, None, None),
        ModerationAction::OpenPoll { question, .. } => {
            ("open_poll", None, None, Some(question.clone()))
        }
        ModerationAction::EndPoll { question, .. } => {
            ("end_poll", None, None, Some(question.clone()))
        }
        ModerationAction::RaiseShield => ("raise_shield", None, None, None),
        ModerationAction::LowerShield => ("lower_shield", None, None, None),
    };
    api::ModerationEntryBody {
        id: entry.id.clone(),
        at: rfc3339(entry.at),
        actor_user_id: entry.actor.to_string(),
        actor_nickname: entry.actor_nickname.clone(),
        action: action.to_owned(),
        target_user_id: entry.target.as_ref().map(ToString::to_string),
        target_nickname: entry.target_nickname.clone(),
        reason: entry.reason.clone(),
        until,
        message_id,
        excerpt,
    }
}

pub fn webhook(webhook: &Webhook) -> api::WebhookBody {
    api::WebhookBody {
        id: webhook.id.to_string(),
        url: webhook.url.as_str().to_owned(),
        created_at: rfc3339(webhook.created_at),
        last_delivery: webhook.last_delivery.as_ref().map(|d| api::DeliveryBody {
            at: rfc3339(d.at),
            delivered: d.report.delivered(),
            attempts: d.report.attempts,
            status: d.report.status,
            error: d.report.error.clone(),
        }),
    }
}

pub fn grant(grant: &ViewerGrant) -> api::ViewerGrantBody {
    api::ViewerGrantBody {
        handle: grant.handle.clone(),
        granted_at: rfc3339(grant.granted_at),
    }
}

pub fn blocked_user(blocked: &BlockedUser) -> api::BlockedUserBody {
    let profile = blocked.profile.as_ref();
    api::BlockedUserBody {
        user_id: blocked.user_id.to_string(),
        nickname: profile.map_or_else(String::new, |p| p.nickname.as_str().to_owned()),
        avatar: profile.map_or_else(String::new, |p| p.avatar.as_str().to_owned()),
        handle: blocked.handle.as_ref().map(ToString::to_string),
        blocked_at: rfc3339(blocked.blocked_at),
    }
}

pub fn follower(follower: &Follower) -> api::FollowerBody {
    api::FollowerBody {
        user_id: follower.user_id.to_string(),
        nickname: follower.profile.nickname.as_str().to_owned(),
        avatar: follower.profile.avatar.as_str().to_owned(),
        handle: follower.handle.as_ref().map(ToString::to_string),
        followed_at: rfc3339(follower.followed_at),
    }
}

pub fn stream_summary(summary: StreamSummary) -> api::StreamSummaryBody {
    api::StreamSummaryBody {
        peak_viewers: summary.peak_viewers,
        average_viewers: summary.average_viewers,
        followers_gained: summary.followers_gained,
        samples: summary.samples,
        viewers: summary.graph,
        seconds_per_point: summary.seconds_per_point,
        chat_messages: summary.chat_messages,
        chatters: summary.chatters,
    }
}

pub fn recording(recording: &Recording, channel: &Channel) -> api::RecordingBody {
    api::RecordingBody {
        id: recording.id.to_string(),
        channel_handle: channel.handle.to_string(),
        owner_nickname: channel.owner_nickname.as_str().to_owned(),
        owner_avatar: channel.owner_avatar.as_str().to_owned(),
        title: recording.title.as_str().to_owned(),
        category: recording.category.as_str().to_owned(),
        status: match recording.status {
            RecordingStatus::Recording => "RECORDING",
            RecordingStatus::Ended => "ENDED",
            RecordingStatus::Failed => "FAILED",
            RecordingStatus::Deleted => "DELETED",
        }
        .to_owned(),
        started_at: recording.started_at.map(rfc3339),
        ended_at: recording.ended_at.map(rfc3339),
        duration_ms: recording.duration_ms,
        private: recording.private,
        mature: channel.mature,
        playlist_url: recording.playlist_url.clone(),
        thumbnail_url: recording.thumbnail_url.clone(),
        yours: false,
    }
}

pub fn marker(marker: &StreamMarker) -> api::MarkerBody {
    api::MarkerBody {
        at_ms: marker.at_ms,
        note: marker.note.clone(),
    }
}

pub fn clip(clip: &Clip, channel: &Channel) -> api::ClipBody {
    api::ClipBody {
        id: clip.id.to_string(),
        channel_handle: channel.handle.to_string(),
        owner_nickname: channel.owner_nickname.as_str().to_owned(),
        owner_avatar: channel.owner_avatar.as_str().to_owned(),
        recording_id: clip.recording_id.to_string(),
        title: clip.title.as_str().to_owned(),
        clipped_by: clip.clipper_handle.clone(),
        status: match clip.status {
            ClipStatus::Pending => "PENDING",
            ClipStatus::Ready => "READY",
        }
        .to_owned(),
        start_ms: clip.start_ms,
        duration_ms: clip.duration_ms,
        created_at: rfc3339(clip.created_at),
        private: clip.private,
        mature: channel.mature,
        playlist_url: clip.playlist_url.clone(),
        thumbnail_url: clip.thumbnail_url.clone(),
        deletable: false,
    }
}

/// A video as `viewer` sees it: its file's name and length only for its uploader.
pub fn video(video: &Video, channel: &Channel, viewer: Option<&UserId>) -> api::VideoBody {
    let own = viewer == Some(&video.uploader);
    api::VideoBody {
        id: video.id.to_string(),
        channel_handle: channel.handle.to_string(),
        owner_nickname: channel.owner_nickname.as_str().to_owned(),
        owner_avatar: channel.owner_avatar.as_str().to_owned(),
        title: video.title.as_str().to_owned(),
        description: video.description.as_str().to_owned(),
        private: video.private,
        mature: channel.mature,
        status: match video.status {
            VideoStatus::Uploading => "UPLOADING",
            VideoStatus::Uploaded => "UPLOADED",
            VideoStatus::Processing => "PROCESSING",
            VideoStatus::Ready => "READY",
            VideoStatus::Failed => "FAILED",
        }
        .to_owned(),
        progress: video.progress,
        failure: video.failure.as_ref().map(ToString::to_string),
        failure_code: video.failure.as_ref().map(|r| r.code().to_owned()),
        failure_found: video
            .failure
            .as_ref()
            .and_then(|r| r.found())
            .map(str::to_owned),
        duration_ms: video.duration_ms,
        created_at: rfc3339(video.created_at),
        playlist_url: video.playlist_url.clone(),
        thumbnail_url: video.thumbnail_url.clone(),
        file_name: own.then(|| video.file_name.clone()),
        size_bytes: own.then_some(video.size_bytes),
    }
}

pub fn notification(n: &Notification, seen: Option<OffsetDateTime>) -> api::NotificationBody {
    let (mut video_id, mut raid_viewers, mut about, mut decision, mut ground, mut until) =
        (None, None, None, None, None, None);
    let kind = match &n.kind {
        NotificationKind::WentLive { .. } => "LIVE",
        NotificationKind::VideoReady { video_id: id } => {
            video_id = Some(id.to_string());
            "VIDEO_READY"
        }
        NotificationKind::Raided {
            raid_viewers: count,
        } => {
            raid_viewers = Some(*count);
            "RAID"
        }
        NotificationKind::ReportReviewed { reported, outcome } => {
            about = Some(report_kind(reported).0);
            decision = Some(report_decision(*outcome));
            "REPORT_REVIEWED"
        }
        NotificationKind::TakenDown {
            taken_down,
            ground: broken,
        } => {
            about = Some(report_kind(taken_down).0);
            ground = Some(report_reason(*broken));
            "TAKEN_DOWN"
        }
        NotificationKind::Suspended {
            suspended_for,
            suspended_until,
        } => {
            ground = Some(report_reason(*suspended_for));
            until = suspended_until.map(rfc3339);
            "SUSPENDED"
        }
        NotificationKind::SuspensionLifted { lifted_suspension } => {
            ground = Some(report_reason(*lifted_suspension));
            "SUSPENSION_LIFTED"
        }
        NotificationKind::AppealRejected { rejected_appeal } => {
            ground = Some(report_reason(*rejected_appeal));
            "APPEAL_REJECTED"
        }
    };
    api::NotificationBody {
        kind: kind.to_owned(),
        video_id,
        raid_viewers,
        about,
        decision,
        ground,
        until,
        channel_handle: n.channel_handle.clone(),
        owner_nickname: n.owner_nickname.clone(),
        owner_avatar: n.owner_avatar.clone(),
        title: n.title.clone(),
        created_at: rfc3339(n.created_at),
        unread: seen.is_none_or(|seen| n.created_at > seen),
    }
}

/// A report as its reporter's data download holds it: not who on staff settled it.
pub fn exported_report(report: &Report) -> api::ExportedReport {
    let (kind, subject_id) = report_kind(&report.subject);
    api::ExportedReport {
        id: report.id.to_string(),
        kind,
        appeal: report.is_appeal(),
        subject_id: subject_id.to_owned(),
        reason: report_reason(report.reason),
        details: report.details.clone(),
        created_at: rfc3339(report.created_at),
        decision: report
            .outcome
            .as_ref()
            .map(|outcome| report_decision(outcome.action)),
        settled_at: report.outcome.as_ref().map(|outcome| rfc3339(outcome.at)),
    }
}

/// What a report names, and its id (a channel's id, not its handle).
pub fn report_kind(subject: &ReportSubject) -> (api::ReportKind, &str) {
    match subject {
        ReportSubject::Channel(id) => (api::ReportKind::Channel, id.as_str()),
        ReportSubject::Clip(id) => (api::ReportKind::Clip, id.as_str()),
        ReportSubject::Video(id) => (api::ReportKind::Video, id.as_str()),
        ReportSubject::Recording(id) => (api::ReportKind::Recording, id.as_str()),
        // An appeal is about the channel (the queue says it is one).
        ReportSubject::Suspension(id) => (api::ReportKind::Channel, id.as_str()),
    }
}

pub fn report_decision(action: ReportAction) -> api::ReportDecision {
    match action {
        ReportAction::Dismissed => api::ReportDecision::Dismiss,
        ReportAction::Removed => api::ReportDecision::Remove,
        ReportAction::Suspended => api::ReportDecision::Suspend,
        ReportAction::Reinstated => api::ReportDecision::Reinstate,
    }
}

pub fn report_reason(reason: ReportReason) -> api::ReportReason {
    match reason {
        ReportReason::Spam => api::ReportReason::Spam,
        ReportReason::Harassment => api::ReportReason::Harassment,
        ReportReason::Hate => api::ReportReason::Hate,
        ReportReason::Violence => api::ReportReason::Violence,
        ReportReason::Sexual => api::ReportReason::Sexual,
        ReportReason::ChildSafety => api::ReportReason::ChildSafety,
        ReportReason::SelfHarm => api::ReportReason::SelfHarm,
        ReportReason::Illegal => api::ReportReason::Illegal,
        ReportReason::Impersonation => api::ReportReason::Impersonation,
        ReportReason::Other => api::ReportReason::Other,
    }
}
