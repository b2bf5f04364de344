//! One-time codes the pool emails: sign-up confirmation and password reset. Issued in one place
//! (six random digits, a lifetime, a limit on how many an account gets an hour), checked in one
//! place (expiry, a limit on wrong guesses of each code).

use rand::Rng;

use super::users::UserRecord;

/// Wrong guesses of a code before it is thrown away.
pub const MAX_CODE_GUESSES: u32 = 5;
/// Codes one account may be sent in an hour: with the guesses per code, at most 25 guesses an
/// hour at a million possible codes.
pub const MAX_CODE_SENDS: usize = 5;
const SEND_WINDOW_SECONDS: i64 = 3600;

/// What a code is for, which decides how long it lasts and what the log says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    ConfirmSignUp,
    ResetPassword,
}

impl Purpose {
    fn lifetime_seconds(self) -> i64 {
        match self {
            Self::ConfirmSignUp => 24 * 3600,
            Self::ResetPassword => 3600,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::ConfirmSignUp => "confirmation code",
            Self::ResetPassword => "password reset code",
        }
    }
}

/// Why a code was not accepted, or not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// No code pending, or it expired.
    Expired,
    /// Wrong, but guesses remain.
    Mismatch,
    /// Wrong, and that was the last guess: the code is gone.
    TooManyGuesses,
    /// The account was sent too many codes in the last hour.
    TooManySends,
}

/// Gives `user` a fresh code for `purpose` at `now`, replacing any pending one, and returns it;
/// refused when the account already had [`MAX_CODE_SENDS`] codes this hour.
pub fn issue(user: &mut UserRecord, purpose: Purpose, now: i64) -> Result<String, CodeError> {
    user.code_sends
        .retain(|sent| now - sent < SEND_WINDOW_SECONDS);
    if user.code_sends.len() >= MAX_CODE_SENDS {
        return Err(CodeError::TooManySends);
    }
    user.code_sends.push(now);
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    user.code = Some((code.clone(), now + purpose.lifetime_seconds()));
    user.code_guesses = 0;
    Ok(code)
}

/// "Delivers" a code: the local pool has no email, so it goes to the log (and the dev command
/// shows the log).
pub fn deliver(email: &str, code: &str, purpose: Purpose) {
    tracing::info!("{} for {email}: {code}", purpose.describe());
}

/// Checks `given` against the user's pending code at `now`. A correct code is used up; a wrong
/// one counts as a guess. The caller keeps the changed record either way.
pub fn check(user: &mut UserRecord, given: &str, now: i64) -> Result<(), CodeError> {
    let Some((code, expires_at)) = user.code.clone() else {
        return Err(CodeError::Expired);
    };
    if expires_at < now {
        return Err(CodeError::Expired);
    }
    if code != given.trim() {
        user.code_guesses += 1;
        if user.code_guesses >= MAX_CODE_GUESSES {
            user.code = None;
            user.code_guesses = 0;
            return Err(CodeError::TooManyGuesses);
        }
        return Err(CodeError::Mismatch);
    }
    user.code = None;
    user.code_guesses = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserRecord {
        UserRecord {
            sub: "s".into(),
            email: "a@example.com".into(),
            password_hash: String::new(),
            attributes: Default::default(),
            confirmed: false,
            code: None,
            code_guesses: 0,
            code_sends: Vec::new(),
            failed_attempts: 0,
            locked_until: 0,
            session_generation: 0,
        }
    }

    #[test]
    fn a_code_is_six_digits_used_once_and_expires() {
        let mut user = user();
        let code = issue(&mut user, Purpose::ConfirmSignUp, 1_000).unwrap();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        let mut late = user.clone();
        assert_eq!(
            check(&mut late, &code, 1_000 + 24 * 3600 + 1),
            Err(CodeError::Expired)
        );
        assert_eq!(check(&mut user, &code, 1_001), Ok(()));
        assert_eq!(check(&mut user, &code, 1_002), Err(CodeError::Expired));
    }

    #[test]
    fn the_fifth_wrong_guess_throws_the_code_away() {
        let mut user = user();
        let code = issue(&mut user, Purpose::ResetPassword, 0).unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 1..MAX_CODE_GUESSES {
            assert_eq!(check(&mut user, wrong, 1), Err(CodeError::Mismatch));
        }
        assert_eq!(check(&mut user, wrong, 1), Err(CodeError::TooManyGuesses));
        assert_eq!(check(&mut user, &code, 1), Err(CodeError::Expired));
    }

    #[test]
    fn an_account_gets_five_codes_an_hour() {
        let mut user = user();
        for minute in 0..5 {
            assert!(issue(&mut user, Purpose::ConfirmSignUp, minute * 60).is_ok());
        }
        assert_eq!(
            issue(&mut user, Purpose::ConfirmSignUp, 600),
            Err(CodeError::TooManySends)
        );
        assert!(
            issue(&mut user, Purpose::ConfirmSignUp, 3600).is_ok(),
            "an hour on"
        );
    }
}
