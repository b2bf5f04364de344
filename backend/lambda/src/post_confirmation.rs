//! The Cognito post-confirmation trigger: a confirmed sign-up gets its profile and channel, with
//! the handle (`preferred_username`) and nickname chosen in the sign-up form.

use aws_lambda_events::event::cognito::{
    CognitoEventUserPoolsPostConfirmation,
    CognitoEventUserPoolsPostConfirmationTriggerSource as Source,
};
use cloumer_domain::ids::UserId;
use cloumer_domain::{DomainError, Identity, Platform};

/// Returns the event unchanged, as Cognito expects.
pub async fn handle(
    platform: &Platform,
    event: CognitoEventUserPoolsPostConfirmation,
) -> Result<CognitoEventUserPoolsPostConfirmation, DomainError> {
    // A confirmed password reset also fires this trigger: nothing to create then.
    if event.cognito_event_user_pools_header.trigger_source == Some(Source::ConfirmForgotPassword) {
        return Ok(event);
    }
    let attributes = &event.request.user_attributes;
    let sub = attributes
        .get("sub")
        .ok_or_else(|| DomainError::invalid("invalid_event", "the event has no sub attribute"))?;
    let identity = Identity {
        user_id: UserId::parse(sub)?,
        username: event
            .cognito_event_user_pools_header
            .user_name
            .clone()
            .unwrap_or_else(|| sub.clone()),
        preferred_handle: attributes.get("preferred_username").cloned(),
        nickname: attributes.get("nickname").cloned(),
        // Confirming the sign-up with the code Cognito emailed verified it.
        email: attributes
            .get("email")
            .filter(|_| attributes.get("email_verified").map(String::as_str) == Some("true"))
            .cloned(),
        signed_in_at: None,
        staff: false,
    };
    let account = platform.ensure_account(&identity).await?;
    tracing::info!(user = %identity.user_id, handle = %account.channel.handle, "account ready");
    Ok(event)
}
