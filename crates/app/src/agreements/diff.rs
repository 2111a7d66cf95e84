//! A readable difference between two versions of an agreement's text.
//! Sections and paragraphs are matched by their stable anchors; a paragraph
//! present in both is compared word by word.

use crate::views::{Paragraph, Section, VersionSummary, VersionText};
use serde::Serialize;
use similar::{ChangeTag, DiffOp, TextDiff, capture_diff_slices};
use utoipa::ToSchema;

/// How a paragraph differs between two versions. Named `ParagraphChange` in
/// the OpenAPI document: `Change` there is one entry of an activity's history
/// (`plan_views::Change`), and two schemas of one name would replace each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ParagraphChange)]
pub enum Change {
    Unchanged,
    Changed,
    Added,
    Removed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Unchanged => "unchanged",
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    Same,
    Inserted,
    Deleted,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParagraphDiff {
    pub anchor: String,
    pub change: Change,
    /// The words of the paragraph, each run marked same, inserted or deleted.
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionDiff {
    pub anchor: String,
    pub heading: String,
    /// The heading in the older version, when it was different.
    pub old_heading: Option<String>,
    pub change: Change,
    pub paragraphs: Vec<ParagraphDiff>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionComparison {
    pub from: VersionSummary,
    pub to: VersionSummary,
    pub sections: Vec<SectionDiff>,
    pub paragraphs_changed: usize,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
}

pub fn compare(from: &VersionText, to: &VersionText) -> VersionComparison {
    let mut sections = Vec::new();
    let from_anchors: Vec<&str> = from.sections.iter().map(|s| s.anchor.as_str()).collect();
    let to_anchors: Vec<&str> = to.sections.iter().map(|s| s.anchor.as_str()).collect();
    for op in capture_diff_slices(similar::Algorithm::Myers, &from_anchors, &to_anchors) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    sections.push(compare_sections(
                        &from.sections[old_index + i],
                        &to.sections[new_index + i],
                    ));
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for s in &from.sections[old_index..old_index + old_len] {
                    sections.push(whole_section(s, Change::Removed));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for s in &to.sections[new_index..new_index + new_len] {
                    sections.push(whole_section(s, Change::Added));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for s in &from.sections[old_index..old_index + old_len] {
                    sections.push(whole_section(s, Change::Removed));
                }
                for s in &to.sections[new_index..new_index + new_len] {
                    sections.push(whole_section(s, Change::Added));
                }
            }
        }
    }
    let count = |change| {
        sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .filter(|p| p.change == change)
            .count()
    };
    VersionComparison {
        from: from.version.clone(),
        to: to.version.clone(),
        paragraphs_changed: count(Change::Changed),
        paragraphs_added: count(Change::Added),
        paragraphs_removed: count(Change::Removed),
        sections,
    }
}

fn whole_section(section: &Section, change: Change) -> SectionDiff {
    SectionDiff {
        anchor: section.anchor.clone(),
        heading: section.heading.clone(),
        old_heading: None,
        change,
        paragraphs: section
            .paragraphs
            .iter()
            .map(|p| whole_paragraph(p, change))
            .collect(),
    }
}

fn whole_paragraph(p: &Paragraph, change: Change) -> ParagraphDiff {
    let kind = match change {
        Change::Added => SegmentKind::Inserted,
        Change::Removed => SegmentKind::Deleted,
        _ => SegmentKind::Same,
    };
    ParagraphDiff {
        anchor: p.anchor.clone(),
        change,
        segments: vec![Segment {
            kind,
            text: p.body.clone(),
        }],
    }
}

fn compare_sections(old: &Section, new: &Section) -> SectionDiff {
    let mut paragraphs = Vec::new();
    let old_anchors: Vec<&str> = old.paragraphs.iter().map(|p| p.anchor.as_str()).collect();
    let new_anchors: Vec<&str> = new.paragraphs.iter().map(|p| p.anchor.as_str()).collect();
    for op in capture_diff_slices(similar::Algorithm::Myers, &old_anchors, &new_anchors) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            for (o, n) in old_range.zip(new_range) {
                paragraphs.push(compare_paragraphs(&old.paragraphs[o], &new.paragraphs[n]));
            }
        } else {
            paragraphs.extend(
                old.paragraphs[old_range]
                    .iter()
                    .map(|p| whole_paragraph(p, Change::Removed)),
            );
            paragraphs.extend(
                new.paragraphs[new_range]
                    .iter()
                    .map(|p| whole_paragraph(p, Change::Added)),
            );
        }
    }
    let heading_changed = old.heading != new.heading;
    let change = if heading_changed || paragraphs.iter().any(|p| p.change != Change::Unchanged) {
        Change::Changed
    } else {
        Change::Unchanged
    };
    SectionDiff {
        anchor: new.anchor.clone(),
        heading: new.heading.clone(),
        old_heading: heading_changed.then(|| old.heading.clone()),
        change,
        paragraphs,
    }
}

fn compare_paragraphs(old: &Paragraph, new: &Paragraph) -> ParagraphDiff {
    if old.body == new.body {
        return whole_paragraph(new, Change::Unchanged);
    }
    let diff = TextDiff::from_words(old.body.as_str(), new.body.as_str());
    let mut segments: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => SegmentKind::Same,
            ChangeTag::Insert => SegmentKind::Inserted,
            ChangeTag::Delete => SegmentKind::Deleted,
        };
        match segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => segments.push(Segment {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    ParagraphDiff {
        anchor: new.anchor.clone(),
        change: Change::Changed,
        segments,
    }
}

/// A line by which a text typed over an older save differs from the text
/// saved meanwhile: in the saved text only (the other writer's change), or
/// in the typed one only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    /// In the saved text only.
    pub saved: bool,
    pub text: String,
}

/// The lines that differ between `saved` and `typed`, in order (blank
/// lines left out), for a writer whose save was refused as stale.
pub fn lines_changed(saved: &str, typed: &str) -> Vec<LineChange> {
    TextDiff::from_lines(saved, typed)
        .iter_all_changes()
        .filter(|c| c.tag() != ChangeTag::Equal)
        .map(|c| LineChange {
            saved: c.tag() == ChangeTag::Delete,
            text: c.value().trim_end().to_owned(),
        })
        .filter(|l| !l.text.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_changed_meanwhile_are_told_apart_from_the_typed_ones() {
        let saved = "## Vision\n\nEn stad för alla.\n\nVi möts varje år.\n";
        let typed = "## Vision\n\nEn stad för alla!\n\nVi möts varje år.\n\nNy rad.\n";
        let line = |saved, text: &str| LineChange {
            saved,
            text: text.to_owned(),
        };
        assert_eq!(
            lines_changed(saved, typed),
            [
                line(true, "En stad för alla."),
                line(false, "En stad för alla!"),
                line(false, "Ny rad.")
            ]
        );
        assert!(lines_changed(saved, saved).is_empty());
    }
    use samverkan_domain::{ParagraphKind, VersionStatus};

    fn version(number: i32, sections: Vec<(&str, Vec<(&str, &str)>)>) -> VersionText {
        VersionText {
            version: VersionSummary {
                number,
                label: format!("v{number}"),
                status: VersionStatus::Draft,
                published_on: time::macros::date!(2017 - 01 - 01),
                decision: None,
                note: String::new(),
                is_current: false,
                documents: Vec::new(),
            },
            sections: sections
                .into_iter()
                .map(|(anchor, ps)| Section {
                    anchor: anchor.into(),
                    heading: anchor.to_uppercase(),
                    paragraphs: ps
                        .into_iter()
                        .map(|(a, b)| Paragraph {
                            anchor: a.into(),
                            kind: ParagraphKind::Text,
                            body: b.into(),
                            html: b.into(),
                            lang: "sv",
                        })
                        .collect(),
                    lang: "sv",
                })
                .collect(),
            translations: Default::default(),
        }
    }

    #[test]
    fn reworded_added_and_removed_paragraphs_are_told_apart() {
        let old = version(
            1,
            vec![(
                "a",
                vec![("a1", "Vi bör samverka"), ("a2", "Borttagen mening")],
            )],
        );
        let new = version(
            2,
            vec![
                ("a", vec![("a1", "Vi ska samverka"), ("a3", "Ny mening")]),
                ("b", vec![]),
            ],
        );
        let cmp = compare(&old, &new);
        assert_eq!(
            (
                cmp.paragraphs_changed,
                cmp.paragraphs_added,
                cmp.paragraphs_removed
            ),
            (1, 1, 1)
        );
        let a1 = &cmp.sections[0].paragraphs[0];
        assert_eq!(a1.change, Change::Changed);
        let deleted: Vec<_> = a1
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Deleted)
            .collect();
        let inserted: Vec<_> = a1
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Inserted)
            .collect();
        assert_eq!(deleted[0].text, "bör");
        assert_eq!(inserted[0].text, "ska");
        assert_eq!(cmp.sections[1].change, Change::Added);
    }

    #[test]
    fn a_version_compared_with_itself_has_no_changes() {
        let v = version(1, vec![("a", vec![("a1", "Text")])]);
        let cmp = compare(&v, &v);
        assert!(cmp.sections.iter().all(|s| s.change == Change::Unchanged));
    }
}
