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

/// A required text of at most `max` characters, trimmed, with Windows line ends made plain.
pub(crate) fn required_text(input: &str, max: usize) -> Result<String, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        Err("error.required")
    } else if text.chars().count() > max {
        Err("error.too_long")
    } else {
        Ok(text.replace("\r\n", "\n"))
    }
}

/// An optional text of at most `max` characters.
pub(crate) fn optional_text(input: &str, max: usize) -> Result<String, &'static str> {
    let text = input.trim();
    if text.chars().count() > max { Err("error.too_long") } else { Ok(text.replace("\r\n", "\n")) }
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

string_enum!(
    /// Where a piece of shared reference (sector, profile, unit, qualification) or a news
    /// article stands: drafts are the committee's alone, published ones are public, retired ones
    /// stay readable where something refers to them but are offered for nothing new.
    PublicationStatus { Draft => "draft", Published => "published", Retired => "retired" }
);

string_enum!(
    /// The network's two quality charters.
    CharterKind { Centres => "centres", Companies => "companies" }
);

string_enum!(
    /// The phase of a mobility operation a charter commitment applies to (the checklists of
    /// later issues are generated per phase).
    CharterPhase { General => "general", Prepare => "prepare", During => "during", FollowUp => "follow_up" }
);

string_enum!(
    /// Where a centre's label stands (the label lifecycle builds on these states).
    LabelStatus {
        Awarded => "awarded",
        UnderObservation => "under_observation",
        Suspended => "suspended",
        Withdrawn => "withdrawn",
    }
);

impl LabelStatus {
    /// Whether a centre in this state is shown as labelled (while its term runs).
    pub fn holds_label(self) -> bool {
        matches!(self, LabelStatus::Awarded | LabelStatus::UnderObservation)
    }
}

string_enum!(
    /// Who goes abroad in a mobility operation.
    MobilityType { Learner => "learner", Teacher => "teacher" }
);

string_enum!(
    /// Where a mobility offer stands.
    OfferStatus { Open => "open", Closed => "closed" }
);

string_enum!(
    /// The life of a mobility operation (see `mobility::operations` for who may move it where).
    OperationState {
        Requested => "requested",
        Accepted => "accepted",
        Preparing => "preparing",
        InProgress => "in_progress",
        Completed => "completed",
        Evaluated => "evaluated",
        Closed => "closed",
        Declined => "declined",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// The two centres of a mobility operation.
    Side { Sending => "sending", Host => "host" }
);

string_enum!(
    /// What the host centre records for a unit of learning outcomes after the stay.
    UnitResult { Achieved => "achieved", PartlyAchieved => "partly_achieved", NotAchieved => "not_achieved" }
);

string_enum!(
    /// What the sending centre recognises of a unit achieved abroad.
    Recognition { Validated => "validated", PartlyValidated => "partly_validated", NotValidated => "not_validated" }
);

string_enum!(
    /// What a document attached to an operation is.
    DocumentKind {
        LearningAgreement => "learning_agreement",
        Insurance => "insurance",
        Accommodation => "accommodation",
        Travel => "travel",
        Other => "other",
    }
);

/// A level of the European Qualifications Framework, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EqfLevel(u8);

impl EqfLevel {
    pub const ALL: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

    pub fn parse(input: &str) -> Result<Self, &'static str> {
        match input.trim().parse::<u8>() {
            Ok(level @ 1..=8) => Ok(Self(level)),
            _ => Err("error.eqf_level"),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A code naming a piece of the shared references (`transport-technician`, `IESA-U3`): letters,
/// digits, hyphens, underscores and dots, 2 to `max` characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReferenceCode(String);

impl ReferenceCode {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::parse_max(input, 63)
    }

    pub fn parse_max(input: &str, max: usize) -> Result<Self, &'static str> {
        let code = input.trim();
        if code.is_empty() {
            return Err("error.required");
        }
        let valid = (2..=max).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && code.starts_with(|c: char| c.is_ascii_alphanumeric());
        if valid { Ok(Self(code.to_owned())) } else { Err("error.code_invalid") }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A text in several languages: every shipped language is required when it is written, and a
/// reader in a language the text lacks gets English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localized(std::collections::BTreeMap<String, String>);

impl Localized {
    /// Reads a stored text; a damaged value reads as empty rather than failing the page.
    pub fn from_stored(json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The text in `lang`, else in English.
    pub fn get(&self, lang: netinvet_i18n::Lang) -> &str {
        self.0.get(lang.code()).or_else(|| self.0.get("en")).map_or("", String::as_str)
    }

    /// The text in exactly `lang` (for edit forms).
    pub fn exact(&self, lang: netinvet_i18n::Lang) -> &str {
        self.0.get(lang.code()).map_or("", String::as_str)
    }

    /// Builds a text from one input per shipped language, each required and at most `max`
    /// characters. The error names the first language that is wrong.
    pub fn parse(
        inputs: &[(netinvet_i18n::Lang, &str)],
        max: usize,
    ) -> Result<Self, (netinvet_i18n::Lang, &'static str)> {
        let mut map = std::collections::BTreeMap::new();
        for lang in netinvet_i18n::Lang::ALL {
            let text = inputs.iter().find(|(l, _)| *l == lang).map_or("", |(_, t)| t.trim());
            if text.is_empty() {
                return Err((lang, "error.required"));
            }
            if text.chars().count() > max {
                return Err((lang, "error.too_long"));
            }
            map.insert(lang.code().to_owned(), text.replace("\r\n", "\n"));
        }
        Ok(Self(map))
    }

    /// A text whose languages are all the same (seed data written once, e.g. a code).
    pub fn same(text: &str) -> Self {
        Self(netinvet_i18n::Lang::ALL.iter().map(|l| (l.code().to_owned(), text.to_owned())).collect())
    }

    /// A text from (language, text) pairs, for seed data.
    pub fn of(pairs: &[(netinvet_i18n::Lang, &str)]) -> Self {
        Self(pairs.iter().map(|(l, t)| (l.code().to_owned(), (*t).to_owned())).collect())
    }
}

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
        assert_eq!(EqfLevel::parse("9"), Err("error.eqf_level"));
        assert_eq!(EqfLevel::parse(" 5 ").unwrap().get(), 5);
        assert!(ReferenceCode::parse("IESA-U1").is_ok());
        assert_eq!(ReferenceCode::parse("a b"), Err("error.code_invalid"));
    }

    #[test]
    fn translatable_texts_need_every_language_and_fall_back_to_english() {
        use netinvet_i18n::Lang;
        let text = Localized::parse(&[(Lang::En, " Warehouse "), (Lang::Fr, "Entrepôt\r\nlogistique")], 50).unwrap();
        assert_eq!(text.get(Lang::En), "Warehouse");
        assert_eq!(text.get(Lang::Fr), "Entrepôt\nlogistique");
        assert_eq!(Localized::from_stored(&text.to_stored()), text);
        assert_eq!(Localized::parse(&[(Lang::En, "Warehouse")], 50), Err((Lang::Fr, "error.required")));
        assert_eq!(
            Localized::parse(&[(Lang::En, "x".repeat(51).as_str()), (Lang::Fr, "y")], 50),
            Err((Lang::En, "error.too_long"))
        );
        let english_only = Localized::of(&[(Lang::En, "Warehouse")]);
        assert_eq!(english_only.get(Lang::Fr), "Warehouse");
        assert_eq!(english_only.exact(Lang::Fr), "");
        assert_eq!(Localized::from_stored("not json").get(Lang::En), "");
    }

    #[test]
    fn passwords_need_length_and_confirmation() {
        assert_eq!(NewPassword::parse("short", "short"), Err("error.password_too_short"));
        assert_eq!(NewPassword::parse("long enough pw", "long enough px"), Err("error.password_mismatch"));
        assert!(NewPassword::parse("long enough pw", "long enough pw").is_ok());
        assert_eq!(format!("{:?}", NewPassword::parse("long enough pw", "long enough pw").unwrap()), "NewPassword(..)");
    }
}
