//! An agreement in another language than Swedish: its own fields (name,
//! short name, summary, vision) and its principles and challenges, taken
//! from the translations kept where there is one, and in Swedish where not.
//! Each field says which language it is shown in (the pages mark it with
//! `lang`), and the record says when something fell back to Swedish.

use crate::snapshot::AgreementRecord;
use crate::views::{FieldTranslation, PartLangs, SOURCE_LANG, lang_tag};
use samverkan_db::snapshot::PublicRows;
use std::collections::HashMap;

/// The languages the pages speak besides Swedish: the public record is
/// kept in each of them too.
pub const TRANSLATED: [&str; 1] = ["en"];

/// The translation rows' `part` for the agreement's own fields.
pub const AGREEMENT: &str = "agreement";
/// The translation rows' `part` for a principle.
pub const PRINCIPLE: &str = "principle";
/// The translation rows' `part` for a challenge.
pub const CHALLENGE: &str = "challenge";
/// The translation rows' `part` for a statement of the ways of working
/// (its slug is its number, from 1).
pub const COMMITMENT: &str = "commitment";

/// The language each of the agreement's own fields is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLangs {
    pub name: &'static str,
    pub short_name: &'static str,
    pub summary: &'static str,
    pub vision: &'static str,
}

impl Default for FieldLangs {
    fn default() -> Self {
        FieldLangs {
            name: SOURCE_LANG,
            short_name: SOURCE_LANG,
            summary: SOURCE_LANG,
            vision: SOURCE_LANG,
        }
    }
}

/// The public agreements' translations, by agreement id.
pub(crate) fn of_rows(rows: &PublicRows) -> HashMap<i64, Vec<FieldTranslation>> {
    let mut of: HashMap<i64, Vec<FieldTranslation>> = HashMap::new();
    for t in &rows.field_translations {
        of.entry(t.agreement_id)
            .or_default()
            .push(FieldTranslation {
                lang: t.lang.clone(),
                part: t.part.clone(),
                slug: t.slug.clone(),
                field: t.field.clone(),
                text: t.body.clone(),
            });
    }
    of
}

/// The record as shown in `lang`.
pub(crate) fn translate(record: &AgreementRecord, lang: &str) -> AgreementRecord {
    let tag = lang_tag(lang);
    let mut out = record.clone();
    let tr: HashMap<(&str, &str, &str), &str> = (record.translations.iter())
        .filter(|t| t.lang == lang && !t.text.trim().is_empty())
        .map(|t| {
            let key = (t.part.as_str(), t.slug.as_str(), t.field.as_str());
            (key, t.text.as_str())
        })
        .collect();
    // Takes the translation of one field where there is one: `true` when
    // taken, or when the Swedish is empty (there is nothing to translate).
    let take = |key: (&str, &str, &str), into: &mut String| match tr.get(&key) {
        Some(t) => {
            *into = (*t).to_owned();
            true
        }
        None => into.trim().is_empty(),
    };
    let shown = |taken: bool| if taken { tag } else { SOURCE_LANG };
    let s = &mut out.summary;
    out.langs = FieldLangs {
        name: shown(take((AGREEMENT, "", "name"), &mut s.name)),
        short_name: shown(take((AGREEMENT, "", "short_name"), &mut s.short_name)),
        summary: shown(take((AGREEMENT, "", "summary"), &mut s.summary)),
        vision: shown(take((AGREEMENT, "", "vision"), &mut out.vision)),
    };
    for p in &mut out.principles {
        p.langs = PartLangs {
            name: shown(take((PRINCIPLE, &p.slug, "name"), &mut p.name)),
            summary: tag,
            description: shown(take(
                (PRINCIPLE, &p.slug, "description"),
                &mut p.description,
            )),
        };
    }
    for c in &mut out.commitments {
        let number = c.number.to_string();
        c.lang = shown(take((COMMITMENT, &number, "body"), &mut c.body));
    }
    for c in &mut out.challenges {
        c.langs = PartLangs {
            name: shown(take((CHALLENGE, &c.slug, "name"), &mut c.name)),
            summary: shown(take((CHALLENGE, &c.slug, "summary"), &mut c.summary)),
            description: shown(take(
                (CHALLENGE, &c.slug, "description"),
                &mut c.description,
            )),
        };
    }
    out
}

impl FieldLangs {
    fn all_in(&self, lang: &str) -> bool {
        [self.name, self.short_name, self.summary, self.vision]
            .iter()
            .all(|l| *l == lang_tag(lang))
    }
}

impl PartLangs {
    /// Whether the name, summary and description are all shown in `lang`.
    pub fn all_in(&self, lang: &str) -> bool {
        [self.name, self.summary, self.description]
            .iter()
            .all(|l| *l == lang_tag(lang))
    }
}

/// What each page shows in Swedish for want of a translation (the page
/// says so when something is).
impl AgreementRecord {
    /// The start page: the agreement's own fields and its challenges'
    /// names and summaries.
    pub fn home_falls_back(&self, lang: &str) -> bool {
        let tag = lang_tag(lang);
        !self.langs.all_in(lang)
            || (self.challenges.iter()).any(|c| c.langs.name != tag || c.langs.summary != tag)
    }

    /// The principles page (with the ways of working).
    pub fn principles_fall_back(&self, lang: &str) -> bool {
        !self.principles.iter().all(|p| p.langs.all_in(lang))
            || (self.commitments.iter()).any(|c| c.lang != lang_tag(lang))
    }

    /// The challenges page: their names and summaries.
    pub fn challenges_fall_back(&self, lang: &str) -> bool {
        let tag = lang_tag(lang);
        (self.challenges.iter()).any(|c| c.langs.name != tag || c.langs.summary != tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_kept_in_the_language_are_shown_and_the_rest_falls_back() {
        let rows = test_rows();
        let of = of_rows(&rows);
        assert_eq!(of[&1].len(), 3);
        let record = crate::snapshot::PublicSnapshot::build(rows, crate::text::today())
            .expect("builds")
            .agreements
            .remove(0);
        let en = translate(&record, "en");
        assert_eq!(en.summary.name, "The Spirit");
        assert_eq!(en.langs.name, "en");
        assert_eq!(en.summary.summary, "Samarbete.", "no translation: Swedish");
        assert_eq!(en.langs.summary, "sv");
        assert_eq!(en.principles[0].name, "Dialogue");
        assert_eq!(en.principles[0].langs.name, "en");
        assert_eq!(en.principles[0].langs.description, "en");
        assert!(en.home_falls_back("en"), "the summary is shown in Swedish");
        assert!(!en.principles_fall_back("en"));
        assert!(!record.home_falls_back("sv"), "Swedish never falls back");
        let sv = translate(&record, "sv");
        assert_eq!(
            sv.summary.name, "Andan",
            "Swedish rows are not read as Swedish"
        );
    }

    fn test_rows() -> PublicRows {
        use samverkan_db::snapshot::*;
        use samverkan_db::writing::FieldTranslationRow;
        let day = time::macros::date!(2024 - 01 - 01);
        let row = |part: &str, slug: &str, field: &str, body: &str| FieldTranslationRow {
            agreement_id: 1,
            lang: "en".into(),
            part: part.into(),
            slug: slug.into(),
            field: field.into(),
            body: body.into(),
        };
        PublicRows {
            municipalities: vec![MunicipalityRow {
                id: 1,
                slug: "stad".into(),
                name: "Stad".into(),
                kind: "municipality".into(),
            }],
            agreements: vec![AgreementRow {
                id: 1,
                municipality_id: 1,
                slug: "andan".into(),
                name: "Andan".into(),
                short_name: "Andan".into(),
                status: "adopted".into(),
                status_since: day,
                summary: "Samarbete.".into(),
                vision: String::new(),
                successor_id: None,
            }],
            principles: vec![PrincipleRow {
                id: 1,
                agreement_id: 1,
                slug: "dialog".into(),
                name: "Dialog".into(),
                description: "Vi talar.".into(),
            }],
            field_translations: vec![
                row(AGREEMENT, "", "name", "The Spirit"),
                row(PRINCIPLE, "dialog", "name", "Dialogue"),
                row(PRINCIPLE, "dialog", "description", "We talk."),
            ],
            ..Default::default()
        }
    }
}
