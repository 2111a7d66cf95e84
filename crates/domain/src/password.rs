//! The password policy (OWASP ASVS level 2): at least 12 characters, at
//! most 128, not on the shipped list of common and breached passwords, and not
//! built from the person's own e-mail address or name.

use std::collections::HashSet;
use std::sync::LazyLock;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Why a password was refused. `Display` words it in English (for the API
/// and logs); pages word it from the catalogue by [`PasswordProblem::code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort { chars: usize },
    TooLong,
    Common,
    Repetitive,
    Personal,
}

impl PasswordProblem {
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort { .. } => "password-too-short",
            PasswordProblem::TooLong => "password-too-long",
            PasswordProblem::Common => "password-common",
            PasswordProblem::Repetitive => "password-repetitive",
            PasswordProblem::Personal => "password-personal",
        }
    }
}

impl std::fmt::Display for PasswordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordProblem::TooShort { chars } => write!(
                f,
                "the password has {chars} characters; use at least {MIN_CHARS} (a few words in a row are easy to remember)"
            ),
            PasswordProblem::TooLong => {
                write!(f, "the password is longer than {MAX_CHARS} characters")
            }
            PasswordProblem::Common => f.write_str(
                "the password is on a list of common or leaked passwords; choose another",
            ),
            PasswordProblem::Repetitive => {
                f.write_str("the password repeats too few characters; choose one that varies more")
            }
            PasswordProblem::Personal => {
                f.write_str("the password is too close to your e-mail address or name")
            }
        }
    }
}

/// A password that meets the policy. Never logged, never serialised.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks `text` against the policy; `personal` are words of the person
    /// (e-mail address, name) that the password must not be made of.
    pub fn parse(text: &str, personal: &[&str]) -> Result<NewPassword, PasswordProblem> {
        let chars = text.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordProblem::TooShort { chars });
        }
        if chars > MAX_CHARS {
            return Err(PasswordProblem::TooLong);
        }
        let lower = text.to_lowercase();
        if COMMON.contains(lower.as_str()) {
            return Err(PasswordProblem::Common);
        }
        let distinct: HashSet<char> = lower.chars().collect();
        if distinct.len() < 4 {
            return Err(PasswordProblem::Repetitive);
        }
        for word in personal {
            let word = word.trim().to_lowercase();
            let local = word.split('@').next().unwrap_or("");
            if local.chars().count() >= 4 && lower.contains(local) && lower.len() < local.len() + 6
            {
                return Err(PasswordProblem::Personal);
            }
        }
        Ok(NewPassword(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_uncommon_passwords_pass() {
        assert!(NewPassword::parse("korv med bröd vid hamnen", &["anna@example.se"]).is_ok());
    }

    #[test]
    fn short_common_repetitive_and_personal_passwords_are_refused_with_a_reason() {
        let cases = [
            ("kort", "at least 12"),
            ("q1w2e3r4t5y6", "common or leaked"),
            ("Lösenord1234", "common or leaked"),
            ("aaaaaaaaaaaaaaaa", "too few characters"),
            ("annaberg2024!", "e-mail address or name"),
        ];
        for (password, reason) in cases {
            let err =
                NewPassword::parse(password, &["annaberg@example.se", "Anna Berg"]).unwrap_err();
            assert!(err.to_string().contains(reason), "{password}: {err}");
        }
    }

    #[test]
    fn the_list_is_loaded() {
        assert!(COMMON.len() > 19_000);
    }
}
