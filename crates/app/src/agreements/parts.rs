//! The agreement's principles and challenges, written in the workspace as
//! the text is: one section (`## Name`) each. A principle's paragraphs are
//! its meaning; a challenge's first paragraph is its summary and the rest
//! its description. A part keeps its id and slug while its name stays, so
//! plans, activities and records keep pointing at it; removing one that is
//! referred to is refused by the database and nothing is saved.

use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::writing::PartRow;
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

/// Parts shown as the form's text.
pub(crate) fn format(parts: &[PartRow], with_summary: bool) -> String {
    let sections: Vec<TextSection> = parts
        .iter()
        .map(|p| {
            let texts = (with_summary.then_some(p.summary.as_str()).into_iter())
                .chain(crate::text::paragraphs(&p.description));
            TextSection {
                anchor: String::new(),
                heading: p.name.clone(),
                paragraphs: texts
                    .filter(|t| !t.trim().is_empty())
                    .map(|t| TextParagraph {
                        anchor: String::new(),
                        kind: ParagraphKind::Text,
                        body: t.to_owned(),
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
        let (old_principles, old_challenges) = self.db().parts_of(a.agreement.id).await?;
        let mut tx = self.db().begin().await?;
        if !tx.claim_agreement(a.agreement.id, revision).await? {
            return Err(Error::stale(
                "stale-agreement",
                "someone changed the agreement after you opened it",
            ));
        }
        let id = a.agreement.id;
        write_parts(&mut tx, id, false, &principles, &old_principles).await?;
        write_parts(&mut tx, id, true, &challenges, &old_challenges).await?;
        let now = OffsetDateTime::now_utc();
        tx.audit(now, Some(user.id), "agreement-parts-saved", slug, "")
            .await?;
        self.commit_public(tx).await
    }
}

/// Updates the parts kept (same name or slug), adds the new, removes the
/// rest.
async fn write_parts(
    tx: &mut samverkan_db::Tx,
    agreement_id: i64,
    challenge: bool,
    parts: &[Part],
    old: &[PartRow],
) -> Result<()> {
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
        match (same, challenge) {
            (Some(o), false) => {
                tx.update_principle(o.id, position, &part.name, &description)
                    .await?
            }
            (Some(o), true) => {
                tx.update_challenge(o.id, position, (&part.name, summary, &description))
                    .await?
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
            }
        }
        if let Some(o) = same {
            kept.insert(o.id);
        }
    }
    for o in old.iter().filter(|o| !kept.contains(&o.id)) {
        tx.delete_part(challenge, o.id).await?;
    }
    Ok(())
}
