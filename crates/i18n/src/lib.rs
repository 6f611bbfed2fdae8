//! Translation catalogues for every user-facing string (pages and emails).
//!
//! The catalogues are TOML files embedded at compile time, one per shipped language, with
//! nested tables flattened into dotted keys (`[nav] home = ".."` is `nav.home`). Placeholders
//! are written `{name}` and filled from named arguments. This module must never fall back
//! silently in tests: [`missing_keys`] lists what a shipped language lacks, and the test suite
//! fails on any.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use minijinja::value::Kwargs;
use minijinja::{Environment, State};
use serde::{Deserialize, Serialize};

/// A language the platform ships complete translations for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// Every shipped language, in the order the switcher lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language's name in itself, as the switcher shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.toml"),
            Lang::Fr => include_str!("../locales/fr.toml"),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The code is not one of the shipped languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang;

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a supported language")
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|lang| lang.code().eq_ignore_ascii_case(primary)).ok_or(UnknownLang)
    }
}

type Catalogue = BTreeMap<String, String>;

static CATALOGUES: LazyLock<BTreeMap<Lang, Catalogue>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let table: toml::Table =
                lang.source().parse().unwrap_or_else(|err| panic!("locales/{lang}.toml is not valid TOML: {err}"));
            let mut flat = Catalogue::new();
            flatten("", &table, &mut flat);
            (lang, flat)
        })
        .collect()
});

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => panic!("translation {full} must be a string, found {}", other.type_str()),
        }
    }
}

/// Translates `key` into `lang`, filling `{name}` placeholders from `args`.
///
/// A key missing from `lang` falls back to English, then to the key itself, so a page never
/// breaks in production; the test suite makes sure neither fallback is ever needed.
pub fn translate(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let text = CATALOGUES[&lang].get(key).or_else(|| CATALOGUES[&Lang::En].get(key)).map(String::as_str).unwrap_or(key);
    fill(text, args)
}

/// Whether the catalogue of `lang` defines `key`.
pub fn has_key(lang: Lang, key: &str) -> bool {
    CATALOGUES[&lang].contains_key(key)
}

fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Keys defined in some shipped language but absent from `lang`.
pub fn missing_keys(lang: Lang) -> BTreeSet<String> {
    let all: BTreeSet<&String> = CATALOGUES.values().flat_map(|c| c.keys()).collect();
    all.into_iter().filter(|key| !CATALOGUES[&lang].contains_key(*key)).cloned().collect()
}

/// Picks the best shipped language from an `Accept-Language` header, honouring q-values.
pub fn negotiate(accept_language: &str) -> Option<Lang> {
    let mut candidates: Vec<(f32, usize, Lang)> = accept_language
        .split(',')
        .enumerate()
        .filter_map(|(position, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            let lang = tag.parse::<Lang>().ok()?;
            (quality > 0.0).then_some((quality, position, lang))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.first().map(|c| c.2)
}

/// Installs the `t(key, name=value, ...)` function in a template environment. The language is
/// read from the template's `lang` variable, so every page and email passes one.
pub fn install(env: &mut Environment<'_>) {
    env.add_function("t", template_translate);
}

fn template_translate(state: &State<'_, '_>, key: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(|s| s.parse::<Lang>().ok())).unwrap_or(Lang::En);
    let mut owned: Vec<(String, String)> = Vec::new();
    for name in kwargs.args() {
        let value: minijinja::Value = kwargs.get(name)?;
        owned.push((name.to_owned(), value.to_string()));
    }
    let args: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(translate(lang, key, &args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_is_complete() {
        for lang in Lang::ALL {
            let missing = missing_keys(lang);
            assert!(missing.is_empty(), "{lang} lacks translations for {missing:?}");
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        let placeholder = |text: &str| -> BTreeSet<String> {
            text.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned())).collect()
        };
        for (key, english) in &CATALOGUES[&Lang::En] {
            for lang in Lang::ALL {
                let other = &CATALOGUES[&lang][key];
                assert_eq!(placeholder(english), placeholder(other), "placeholders differ in {lang} for {key}");
            }
        }
    }

    #[test]
    fn accept_language_honours_quality() {
        assert_eq!(negotiate("de-DE,fr;q=0.8,en;q=0.5"), Some(Lang::Fr));
        assert_eq!(negotiate("en-GB,fr;q=0.9"), Some(Lang::En));
        assert_eq!(negotiate("fr-CA"), Some(Lang::Fr));
        assert_eq!(negotiate("de, it;q=0.4"), None);
        assert_eq!(negotiate("fr;q=0, en;q=0.1"), Some(Lang::En));
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("Hello {name}, {name}!", &[("name", "Ana")]), "Hello Ana, Ana!");
    }
}
