//! The agreement's principles and challenges, written in the workspace as
//! the text is: one section (`## Name`) each. A principle's paragraphs are
//! its meaning; a challenge's first paragraph is its summary and the rest
//! its description. A part keeps its id and slug while its name stays, so
//! plans, activities and records keep pointing at it; removing one that is
//! referred to is refused by the database and nothing is saved.
//!
//! The ways of working (förhållningssätt) are written in the same form, one
//! statement a line, and rewritten in order on each save (nothing refers to
//! one).
//!
//! The English is written the same way beside the Swedish: one section a
//! part, in the same order, so each translates the part at its place. Left
//! empty, the pages show the Swedish and say so.

use super::translated::{CHALLENGE, COMMITMENT, PRINCIPLE};
use super::writing::TRANSLATION_LANG;
use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::writing::{FieldTranslationRow, PartRow};
use samverkan_domain::agreement_text::{self, TextParagraph, TextSection};
use samverkan_domain::slug::slugify_or;
use samverkan_domain::{AgreementStatus, ParagraphKind};
use std::collections::HashSet;
use time::OffsetDateTime;

/// The parts form as typed.
#[derive(Debug, Clone, Default)]
pub struct PartsForm {
    pub principles: String,
    pub challenges: String,
    /// The principles in English, part by part (may be empty).
    pub principles_en: String,
    /// The challenges in English, part by part (may be empty).
    pub challenges_en: String,
    /// The ways of working (förhållningssätt): one statement a line.
    pub commitments: String,
    /// The same in English, line by line (may be empty).
    pub commitments_en: String,
}

/// The most statements of the ways of working, and their longest.
const COMMITMENTS_MAX: usize = 50;
const COMMITMENT_CHARS: usize = 500;

/// The statements of the ways of working read from the form: one a line
/// (a leading `- ` or `* ` is a list mark, not text), blank lines skipped.
fn read_commitments(f: &'static str, text: &str) -> Result<Vec<String>> {
    let lines: Vec<String> = (text.lines())
        .map(|l| l.trim().trim_start_matches(['-', '*']).trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(i) = lines
        .iter()
        .position(|l| l.chars().count() > COMMITMENT_CHARS)
    {
        return Err(Error::Validation(vec![FieldError {
            field: f,
            code: "commitment-length",
            message: format!(
                "statement {} is longer than {COMMITMENT_CHARS} characters; write one statement a line",
                i + 1
            ),
            detail: Some((i + 1).to_string()),
        }]));
    }
    if lines.len() > COMMITMENTS_MAX {
        return Err(Error::Validation(vec![FieldError::new(
            f,
            "commitments-count",
            "write at most 50 statements, one a line",
        )]));
    }
    Ok(lines)
}

/// The English statements, one for each Swedish one (or none at all).
fn read_commitments_en(text: &str, swedish: &[String]) -> Result<Vec<String>> {
    let english = read_commitments("commitments_en", text)?;
    if !english.is_empty() && english.len() != swedish.len() {
        return Err(Error::Validation(vec![FieldError {
            field: "commitments_en",
            code: "commitments-translation-shape",
            message: format!(
                "write one English line for each of the {} Swedish statements, in the same order; this has {}",
                swedish.len(),
                english.len()
            ),
            detail: Some(format!("{} / {}", swedish.len(), english.len())),
        }]));
    }
    Ok(english)
}

/// One part read from the form: its name and paragraphs.
struct Part {
    name: String,
    paragraphs: Vec<String>,
}

fn read(f: &'static str, text: &str) -> Result<Vec<Part>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let sections = agreement_text::parse(text).map_err(|p| {
        Error::Validation(vec![FieldError {
            field: f,
            code: p.code,
            message: format!("line {}: {}", p.line, p.message),
            detail: Some(p.line.to_string()),
        }])
    })?;
    Ok(sections
        .into_iter()
        .map(|s| Part {
            name: s.heading,
            paragraphs: s.paragraphs.into_iter().map(|p| p.body).collect(),
        })
        .collect())
}

/// The English of `swedish` read from the form: none when left empty;
/// else one part for each Swedish part, or the count that differs.
fn read_english(f: &'static str, text: &str, swedish: &[Part]) -> Result<Option<Vec<Part>>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let english = read(f, text)?;
    if english.len() != swedish.len() {
        return Err(Error::Validation(vec![FieldError {
            field: f,
            code: "parts-translation-shape",
            message: format!(
                "write one section (## Name) for each of the {} Swedish parts, in the same order; this has {}",
                swedish.len(),
                english.len()
            ),
            detail: Some(format!("{} / {}", swedish.len(), english.len())),
        }]));
    }
    Ok(Some(english))
}

/// A part's name, summary (a challenge's first paragraph) and description.
fn fields_of(p: &Part, challenge: bool) -> [(&'static str, String); 3] {
    let (summary, rest) = match (challenge, p.paragraphs.split_first()) {
        (true, Some((first, rest))) => (first.clone(), rest),
        _ => (String::new(), p.paragraphs.as_slice()),
    };
    [
        ("name", p.name.clone()),
        ("summary", summary),
        ("description", rest.join("\n\n")),
    ]
}

/// The translation rows (part, slug, field, text) of the English parts, by
/// the slugs the Swedish parts were saved under. A field left empty or as
/// the Swedish is not a translation (the page shows the Swedish and says
/// so), as with the text's paragraphs.
fn english_rows<'a>(
    part: &'a str,
    slugs: &'a [String],
    swedish: &[Part],
    english: &[Part],
) -> Vec<(&'a str, &'a str, &'static str, String)> {
    let mut rows = Vec::new();
    let challenge = part == CHALLENGE;
    for ((slug, sv), en) in slugs.iter().zip(swedish).zip(english) {
        for ((f, sv), (_, en)) in fields_of(sv, challenge)
            .into_iter()
            .zip(fields_of(en, challenge))
        {
            if !en.trim().is_empty() && en.trim() != sv.trim() {
                rows.push((part, slug.as_str(), f, en));
            }
        }
    }
    rows
}

/// Parts shown as the form's text.
pub(crate) fn format(parts: &[PartRow], with_summary: bool) -> String {
    format_as(parts, with_summary, |_, _, kept| kept.to_owned())
}

/// The English of the parts as the form shows it: empty when none of them
/// is translated, else every part with its English (its Swedish where a
/// field is not translated, for the writer to translate).
pub(crate) fn format_english(
    parts: &[PartRow],
    with_summary: bool,
    rows: &[FieldTranslationRow],
) -> String {
    let part = if with_summary { CHALLENGE } else { PRINCIPLE };
    let of = |slug: &str, f: &str| {
        (rows.iter())
            .find(|t| t.part == part && t.slug == slug && t.field == f)
            .map(|t| t.body.as_str())
    };
    if !parts.iter().any(|p| of(&p.slug, "name").is_some()) {
        return String::new();
    }
    format_as(parts, with_summary, |p, f, kept| {
        of(&p.slug, f).unwrap_or(kept).to_owned()
    })
}

/// The English of the ways of working as the form shows it: empty when
/// none is translated, else one line for each (the Swedish where one is
/// not, for the writer to translate).
pub(crate) fn commitments_english(swedish: &[String], rows: &[FieldTranslationRow]) -> String {
    let of = |n: usize| {
        (rows.iter())
            .find(|t| t.part == COMMITMENT && t.slug == n.to_string() && t.field == "body")
            .map(|t| t.body.as_str())
    };
    if !(1..=swedish.len()).any(|n| of(n).is_some()) {
        return String::new();
    }
    (swedish.iter().enumerate())
        .map(|(i, sv)| of(i + 1).unwrap_or(sv))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parts as the form's text, each field as `text` gives it (the part, the
/// field's name and its Swedish).
fn format_as(
    parts: &[PartRow],
    with_summary: bool,
    text: impl Fn(&PartRow, &str, &str) -> String,
) -> String {
    let sections: Vec<TextSection> = parts
        .iter()
        .map(|p| {
            let summary = text(p, "summary", &p.summary);
            let description = text(p, "description", &p.description);
            let texts = (with_summary.then_some(summary).into_iter()).chain(
                crate::text::paragraphs(&description)
                    .into_iter()
                    .map(str::to_owned),
            );
            TextSection {
                anchor: String::new(),
                heading: text(p, "name", &p.name),
                paragraphs: texts
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| TextParagraph {
                        anchor: String::new(),
                        kind: ParagraphKind::Text,
                        body: t,
                    })
                    .collect(),
            }
        })
        .collect();
    agreement_text::format(&sections)
}

impl App {
    /// Saves the principles and challenges, if nobody changed the agreement
    /// since `revision`.
    pub async fn save_parts(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        slug: &str,
        revision: i64,
        form: &PartsForm,
    ) -> Result<()> {
        let a = self.writable(roles, slug).await?;
        if matches!(
            AgreementStatus::parse(&a.agreement.status),
            Ok(AgreementStatus::WoundDown | AgreementStatus::Superseded)
        ) {
            return Err(Error::conflict(
                "step-closed",
                "the agreement is wound down or superseded: its text is kept as it was",
            ));
        }
        let principles = read("principles", &form.principles)?;
        let challenges = read("challenges", &form.challenges)?;
        let principles_en = read_english("principles_en", &form.principles_en, &principles)?;
        let challenges_en = read_english("challenges_en", &form.challenges_en, &challenges)?;
        let commitments = read_commitments("commitments", &form.commitments)?;
        let commitments_en = read_commitments_en(&form.commitments_en, &commitments)?;
        let (old_principles, old_challenges) = self.db().parts_of(a.agreement.id).await?;
        let mut tx = self.db().begin().await?;
        if !tx.claim_agreement(a.agreement.id, revision).await? {
            return Err(Error::stale(
                "stale-agreement",
                "someone changed the agreement after you opened it",
            ));
        }
        let id = a.agreement.id;
        let principle_slugs = write_parts(&mut tx, id, false, &principles, &old_principles).await?;
        let challenge_slugs = write_parts(&mut tx, id, true, &challenges, &old_challenges).await?;
        let mut english = Vec::new();
        if let Some(en) = &principles_en {
            english.extend(english_rows(PRINCIPLE, &principle_slugs, &principles, en));
        }
        if let Some(en) = &challenges_en {
            english.extend(english_rows(CHALLENGE, &challenge_slugs, &challenges, en));
        }
        tx.delete_commitments(id).await?;
        for (i, c) in commitments.iter().enumerate() {
            tx.insert_commitment(id, i as i32 + 1, c).await?;
        }
        let numbers: Vec<String> = (1..=commitments.len()).map(|n| n.to_string()).collect();
        for ((n, sv), en) in numbers.iter().zip(&commitments).zip(&commitments_en) {
            if en != sv {
                english.push((COMMITMENT, n.as_str(), "body", en.clone()));
            }
        }
        let rows: Vec<_> = (english.iter())
            .map(|(p, s, f, t)| (*p, *s, *f, t.as_str()))
            .collect();
        let parts = [PRINCIPLE, CHALLENGE, COMMITMENT];
        tx.replace_field_translations(id, TRANSLATION_LANG, &parts, &rows)
            .await?;
        let now = OffsetDateTime::now_utc();
        tx.audit(now, Some(user.id), "agreement-parts-saved", slug, "")
            .await?;
        self.commit_public(tx).await
    }
}

/// Updates the parts kept (same name or slug), adds the new, removes the
/// rest. The parts' slugs, in order.
async fn write_parts(
    tx: &mut samverkan_db::Tx,
    agreement_id: i64,
    challenge: bool,
    parts: &[Part],
    old: &[PartRow],
) -> Result<Vec<String>> {
    let mut saved = Vec::with_capacity(parts.len());
    let mut kept = HashSet::new();
    let mut slugs: HashSet<String> = old.iter().map(|p| p.slug.clone()).collect();
    for (i, part) in parts.iter().enumerate() {
        let position = i as i32 + 1;
        let base = slugify_or(&part.name, "del");
        let (summary, rest) = match (challenge, part.paragraphs.split_first()) {
            (true, Some((first, rest))) => (first.as_str(), rest),
            _ => ("", part.paragraphs.as_slice()),
        };
        let description = rest.join("\n\n");
        let same = old
            .iter()
            .find(|o| !kept.contains(&o.id) && (o.name == part.name || o.slug == base));
        let slug_saved = match (same, challenge) {
            (Some(o), false) => {
                tx.update_principle(o.id, position, &part.name, &description)
                    .await?;
                o.slug.clone()
            }
            (Some(o), true) => {
                tx.update_challenge(o.id, position, (&part.name, summary, &description))
                    .await?;
                o.slug.clone()
            }
            (None, _) => {
                let mut slug = base.clone();
                let mut n = 2;
                while slugs.contains(&slug) {
                    slug = format!("{base}-{n}");
                    n += 1;
                }
                slugs.insert(slug.clone());
                if challenge {
                    tx.insert_challenge(
                        agreement_id,
                        position,
                        &slug,
                        &part.name,
                        summary,
                        &description,
                    )
                    .await?;
                } else {
                    tx.insert_principle(agreement_id, position, &slug, &part.name, &description)
                        .await?;
                }
                slug
            }
        };
        if let Some(o) = same {
            kept.insert(o.id);
        }
        saved.push(slug_saved);
    }
    for o in old.iter().filter(|o| !kept.contains(&o.id)) {
        tx.delete_part(challenge, o.id).await?;
    }
    Ok(saved)
}
