//! The public side of writing agreements: their signatories and the history
//! of their life cycle, grouped per agreement for the public snapshot.

use crate::Result;
use crate::snapshot::corrupt;
use crate::views::{Decision, HistoryStep, Signatory};
use samverkan_db::snapshot::PublicRows;
use samverkan_db::writing::EventRow;
use samverkan_domain::{AgreementStep, Side};
use std::collections::HashMap;

/// The signatories of each agreement, in order, by agreement id.
pub(crate) fn signatories(rows: &PublicRows) -> HashMap<i64, Vec<Signatory>> {
    let slug_of: HashMap<i64, &str> = rows
        .municipalities
        .iter()
        .map(|m| (m.id, m.slug.as_str()))
        .collect();
    let mut of: HashMap<i64, Vec<Signatory>> = HashMap::new();
    for s in &rows.signatories {
        of.entry(s.agreement_id).or_default().push(Signatory {
            side: Side::parse(&s.side).unwrap_or(Side::Sector),
            name: s.name.clone(),
            municipality: s
                .municipality_id
                .and_then(|id| slug_of.get(&id))
                .map(|s| s.to_string()),
        });
    }
    of
}

/// The history of each agreement, oldest first, by agreement id.
pub(crate) fn steps(
    rows: &PublicRows,
    decisions: &HashMap<i64, Decision>,
) -> Result<HashMap<i64, Vec<HistoryStep>>> {
    let mut of: HashMap<i64, Vec<HistoryStep>> = HashMap::new();
    for e in &rows.events {
        (of.entry(e.agreement_id).or_default()).push(step_of(e, decisions)?);
    }
    Ok(of)
}

/// One stored step as shown, with its decision.
pub(crate) fn step_of(e: &EventRow, decisions: &HashMap<i64, Decision>) -> Result<HistoryStep> {
    Ok(HistoryStep {
        at: e.at,
        step: AgreementStep::parse(&e.step).map_err(corrupt)?,
        by: e.actor_name.clone(),
        version: e.version_number,
        decision: e.decision_id.and_then(|id| decisions.get(&id).cloned()),
        note: e.note.clone(),
    })
}
