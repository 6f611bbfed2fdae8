//! Values validated at the edge: once constructed, a value is valid. Each parse error is a
//! translation key the web layer shows next to the field.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An email address as typed, with its case-insensitive key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    display: String,
    key: String,
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let display = input.trim();
        let valid = display.len() <= 254
            && !display
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
            && match display.rsplit_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !local.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if !valid {
            return Err("error.email_invalid");
        }
        Ok(Self { display: display.to_owned(), key: display.to_lowercase() })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The lower-cased form that uniqueness and look-ups use.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A person's name as they want it shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let name = input.trim();
        if name.is_empty() {
            return Err("error.required");
        }
        if name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err("error.name_invalid");
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password, long enough to resist guessing.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 10;

    pub fn parse(input: &str, confirmation: &str) -> Result<Self, &'static str> {
        let length = input.chars().count();
        if length < Self::MIN_CHARS {
            return Err("error.password_too_short");
        }
        if length > 200 {
            return Err("error.password_too_long");
        }
        if input != confirmation {
            return Err("error.password_mismatch");
        }
        Ok(Self(input.to_owned()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// A centre's address in URLs (`/c/{slug}/`): lowercase letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let slug = input.trim();
        let valid = (3..=63).contains(&slug.len())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if valid { Ok(Self(slug.to_owned())) } else { Err("error.slug_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, $error:literal, [$($code:literal),* $(,)?]) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(&'static str);

        impl $name {
            pub const ALL: &'static [&'static str] = &[$($code),*];

            pub fn parse(input: &str) -> Result<Self, &'static str> {
                let wanted = input.trim();
                Self::ALL
                    .iter()
                    .find(|code| code.eq_ignore_ascii_case(wanted))
                    .map(|code| $name(code))
                    .ok_or($error)
            }

            pub fn code(self) -> &'static str {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
    };
}

code_list!(
    /// An ISO 3166-1 alpha-2 country code, among the countries the network recruits in
    /// (EU and EEA members, Switzerland, the United Kingdom and the candidate countries).
    CountryCode,
    "error.country_unknown",
    [
        "AL", "AT", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
        "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO",
        "RS", "SE", "SI", "SK", "TR", "UA",
    ]
);

code_list!(
    /// An ISO 639-1 language code a centre may work in.
    LanguageCode,
    "error.language_unknown",
    [
        "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr", "hu", "is",
        "it", "lb", "lt", "lv", "mk", "mt", "nl", "no", "pl", "pt", "ro", "sk", "sl", "sq", "sr", "sv", "tr",
        "uk",
    ]
);

code_list!(
    /// A sector the network covers.
    Sector,
    "error.sector_unknown",
    ["international_trade", "transport_logistics", "car_maintenance"]
);

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl FromStr for $name {
            type Err = &'static str;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($text => Ok($name::$variant),)* _ => Err("error.choice_invalid") }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Where a member centre stands with the network.
    CentreStatus { Applicant => "applicant", Active => "active", Suspended => "suspended", Withdrawn => "withdrawn" }
);

string_enum!(
    /// A person's role inside one centre.
    MembershipRole { Admin => "admin", Staff => "staff", Learner => "learner" }
);

string_enum!(
    /// A person's role in the network as a whole.
    NetworkRole { Committee => "committee", Assessor => "assessor" }
);

string_enum!(
    /// Where an invitation stands.
    InvitationStatus { Pending => "pending", Accepted => "accepted", Revoked => "revoked", Expired => "expired" }
);

impl MembershipRole {
    /// The translation key naming the role.
    pub fn label_key(self) -> &'static str {
        match self {
            MembershipRole::Admin => "role.admin",
            MembershipRole::Staff => "role.staff",
            MembershipRole::Learner => "role.learner",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_case_insensitive_and_validated() {
        let email = EmailAddress::parse("  Ana.Pereira@Example.PT ").unwrap();
        assert_eq!(email.as_str(), "Ana.Pereira@Example.PT");
        assert_eq!(email.key(), "ana.pereira@example.pt");
        for bad in ["", "ana", "ana@", "@example.pt", "ana@example", "ana pereira@example.pt", "a@b..pt", "<a@b.pt>"] {
            assert_eq!(EmailAddress::parse(bad), Err("error.email_invalid"), "{bad:?} should be refused");
        }
    }

    #[test]
    fn slugs_are_lowercase_words() {
        assert!(Slug::parse("lycee-lyon-2").is_ok());
        for bad in ["ab", "Lycee", "-lyon", "lyon-", "ly--on", "lyon_2", "lyon/2"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn codes_come_from_their_lists() {
        assert_eq!(CountryCode::parse("fr").unwrap().code(), "FR");
        assert_eq!(CountryCode::parse("XX"), Err("error.country_unknown"));
        assert_eq!(LanguageCode::parse("DE").unwrap().code(), "de");
        assert_eq!(Sector::parse("space_travel"), Err("error.sector_unknown"));
    }

    #[test]
    fn passwords_need_length_and_confirmation() {
        assert_eq!(NewPassword::parse("short", "short"), Err("error.password_too_short"));
        assert_eq!(NewPassword::parse("long enough pw", "long enough px"), Err("error.password_mismatch"));
        assert!(NewPassword::parse("long enough pw", "long enough pw").is_ok());
        assert_eq!(format!("{:?}", NewPassword::parse("long enough pw", "long enough pw").unwrap()), "NewPassword(..)");
    }
}
