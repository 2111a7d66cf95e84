//! The agreement's text as its writers type it: one small Markdown document.
//!
//! ```text
//! ## Vision
//! Malmö ska vara en stad där *alla* kan delta.
//!
//! ## Principer
//! Vi utgår från [Malmöandan](https://malmo.se).
//!
//! - Dialog
//! - Självständighet
//! ```
//!
//! A line starting with `#` or `##` opens a section; a blank line ends a
//! paragraph; a line starting with `- ` or `* ` is an item of a bulleted
//! list. Inside a paragraph only inline Markdown is meant (emphasis, links);
//! it is rendered and sanitised by the application, never trusted.
//!
//! Every section and paragraph has an anchor that stays the same across
//! versions ([`assign_anchors`]): a paragraph kept, moved or lightly edited
//! keeps its anchor, so comparisons, links and comments keep pointing at it;
//! an anchor once used in an agreement is never given to another paragraph.

use crate::ParagraphKind;
use crate::slug::slugify_or;
use std::collections::{BTreeSet, HashMap};

/// One section: a heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSection {
    /// Empty until [`assign_anchors`] gives it one.
    pub anchor: String,
    pub heading: String,
    pub paragraphs: Vec<TextParagraph>,
}

/// One paragraph: running text or one item of a bulleted list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextParagraph {
    /// Empty until [`assign_anchors`] gives it one.
    pub anchor: String,
    pub kind: ParagraphKind,
    pub body: String,
}

/// Why a text was refused: the line (from 1) and what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    pub line: usize,
    /// A stable code the pages word in their language (`text-…`).
    pub code: &'static str,
    pub message: String,
}

/// The longest text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 200_000;
/// The longest heading, in characters.
pub const MAX_HEADING_CHARS: usize = 200;
/// The longest paragraph, in characters.
pub const MAX_PARAGRAPH_CHARS: usize = 5_000;

/// Reads a text into sections (without anchors), or says on which line it
/// goes wrong.
pub fn parse(text: &str) -> Result<Vec<TextSection>, TextProblem> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(problem(
            1,
            "text-too-long",
            format!("the text is longer than {MAX_TEXT_CHARS} characters: shorten it"),
        ));
    }
    let mut sections: Vec<TextSection> = Vec::new();
    // The paragraph being read and the line it started on.
    let mut open: Option<(usize, TextParagraph)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            close(&mut sections, &mut open)?;
            continue;
        }
        if let Some(heading) = heading_of(trimmed, n)? {
            close(&mut sections, &mut open)?;
            sections.push(TextSection {
                anchor: String::new(),
                heading,
                paragraphs: Vec::new(),
            });
            continue;
        }
        if sections.is_empty() {
            return Err(problem(
                n,
                "text-no-heading",
                "the text must start with a section heading, a line like: ## Inledning",
            ));
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "));
        match (item, &mut open) {
            (Some(body), _) => {
                close(&mut sections, &mut open)?;
                open = Some((n, paragraph(ParagraphKind::Item, body)));
            }
            (None, Some((_, p))) => {
                p.body.push(' ');
                p.body.push_str(trimmed);
            }
            (None, None) => open = Some((n, paragraph(ParagraphKind::Text, trimmed))),
        }
    }
    close(&mut sections, &mut open)?;
    if sections.is_empty() {
        return Err(problem(
            1,
            "text-empty",
            "write at least one section: a heading line like ## Inledning, then its text",
        ));
    }
    Ok(sections)
}

/// The heading of a line that opens a section, if it is one.
fn heading_of(line: &str, n: usize) -> Result<Option<String>, TextProblem> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if hashes == 0 {
        return Ok(None);
    }
    let rest = &line[hashes..];
    if !rest.starts_with(' ') && !rest.is_empty() {
        // `#hashtag` is text, not a heading.
        return Ok(None);
    }
    if hashes > 2 {
        return Err(problem(
            n,
            "text-heading-level",
            "the text has one level of headings: start a section with ## and its heading",
        ));
    }
    let heading = rest.trim().trim_end_matches('#').trim();
    if heading.is_empty() {
        return Err(problem(
            n,
            "text-heading-empty",
            "write the section's heading after ##",
        ));
    }
    if heading.chars().count() > MAX_HEADING_CHARS {
        return Err(problem(
            n,
            "text-heading-long",
            format!("a heading has at most {MAX_HEADING_CHARS} characters"),
        ));
    }
    Ok(Some(heading.to_owned()))
}

fn paragraph(kind: ParagraphKind, body: &str) -> TextParagraph {
    TextParagraph {
        anchor: String::new(),
        kind,
        body: body.trim().to_owned(),
    }
}

/// Ends the paragraph being read, adding it to the last section.
fn close(
    sections: &mut [TextSection],
    open: &mut Option<(usize, TextParagraph)>,
) -> Result<(), TextProblem> {
    let Some((line, p)) = open.take() else {
        return Ok(());
    };
    if p.body.chars().count() > MAX_PARAGRAPH_CHARS {
        return Err(problem(
            line,
            "text-paragraph-long",
            format!(
                "a paragraph has at most {MAX_PARAGRAPH_CHARS} characters: split it with a blank line"
            ),
        ));
    }
    if let Some(last) = sections.last_mut() {
        last.paragraphs.push(p);
    }
    Ok(())
}

fn problem(line: usize, code: &'static str, message: impl Into<String>) -> TextProblem {
    TextProblem {
        line,
        code,
        message: message.into(),
    }
}

/// Writes sections back as the document [`parse`] reads: what the editor
/// shows. `parse(&format(s))` gives `s` back (without anchors).
pub fn format(sections: &[TextSection]) -> String {
    let mut out = String::new();
    for s in sections {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("## ");
        out.push_str(&s.heading);
        out.push_str("\n\n");
        let mut previous: Option<ParagraphKind> = None;
        for p in &s.paragraphs {
            match (previous, p.kind) {
                (Some(ParagraphKind::Item), ParagraphKind::Item) | (None, _) => {}
                _ => out.push('\n'),
            }
            if p.kind == ParagraphKind::Item {
                out.push_str("- ");
            }
            out.push_str(&p.body);
            out.push('\n');
            previous = Some(p.kind);
        }
    }
    out
}

/// How alike two paragraphs must be (shared words, 0–1) for the new one to
/// keep the old one's anchor.
const SAME_PARAGRAPH: f64 = 0.5;

/// Gives every new section and paragraph its anchor: the anchor of the old
/// paragraph it continues (the same text first, then the most alike, at
/// least half its words shared), of the old section it continues (the same
/// heading, else the one most of its paragraphs came from), else a new one
/// never used in the agreement (`used`: every anchor of every version).
pub fn assign_anchors(new: &mut [TextSection], old: &[TextSection], used: &BTreeSet<String>) {
    let mut used = used.clone();
    for s in old {
        used.insert(s.anchor.clone());
        used.extend(s.paragraphs.iter().map(|p| p.anchor.clone()));
    }
    let old_paragraphs: Vec<(usize, &TextParagraph)> = old
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.paragraphs.iter().map(move |p| (i, p)))
        .collect();
    let came_from = match_paragraphs(new, &old_paragraphs);
    match_sections(new, old, &came_from, &mut used);
    for s in new.iter_mut() {
        for p in s.paragraphs.iter_mut().filter(|p| p.anchor.is_empty()) {
            p.anchor = fresh(&used, &s.anchor, 1);
            used.insert(p.anchor.clone());
        }
    }
}

/// Gives paragraphs the anchors of the old ones they continue; returns,
/// per new section, the old sections its paragraphs came from.
fn match_paragraphs(new: &mut [TextSection], old: &[(usize, &TextParagraph)]) -> Vec<Vec<usize>> {
    let mut taken = vec![false; old.len()];
    let mut from = vec![Vec::new(); new.len()];
    // The same text, in order.
    for (si, s) in new.iter_mut().enumerate() {
        for p in &mut s.paragraphs {
            let same = old
                .iter()
                .enumerate()
                .find(|(k, (_, o))| !taken[*k] && normal(&o.body) == normal(&p.body));
            if let Some((k, (section, o))) = same {
                taken[k] = true;
                p.anchor = o.anchor.clone();
                from[si].push(*section);
            }
        }
    }
    // The most alike of the rest, best pairs first.
    let words_old: Vec<HashMap<String, usize>> = old.iter().map(|(_, o)| words(&o.body)).collect();
    let mut pairs = Vec::new();
    for (si, s) in new.iter().enumerate() {
        for (pi, p) in s
            .paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.anchor.is_empty())
        {
            let w = words(&p.body);
            for (k, wo) in words_old.iter().enumerate().filter(|(k, _)| !taken[*k]) {
                let score = likeness(&w, wo);
                if score >= SAME_PARAGRAPH {
                    pairs.push((score, si, pi, k));
                }
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then((a.1, a.2, a.3).cmp(&(b.1, b.2, b.3)))
    });
    for (_, si, pi, k) in pairs {
        let p = &mut new[si].paragraphs[pi];
        if taken[k] || !p.anchor.is_empty() {
            continue;
        }
        taken[k] = true;
        p.anchor = old[k].1.anchor.clone();
        from[si].push(old[k].0);
    }
    from
}

/// Gives sections the anchors of the old ones they continue, else new ones.
fn match_sections(
    new: &mut [TextSection],
    old: &[TextSection],
    came_from: &[Vec<usize>],
    used: &mut BTreeSet<String>,
) {
    let mut taken = vec![false; old.len()];
    for s in new.iter_mut() {
        if let Some(k) = (0..old.len()).find(|k| !taken[*k] && old[*k].heading == s.heading) {
            taken[k] = true;
            s.anchor = old[k].anchor.clone();
        }
    }
    for (si, s) in new.iter_mut().enumerate() {
        if !s.anchor.is_empty() {
            continue;
        }
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for k in came_from[si].iter().filter(|k| !taken[**k]) {
            *counts.entry(*k).or_default() += 1;
        }
        let best = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((k, _)) = best {
            taken[k] = true;
            s.anchor = old[k].anchor.clone();
        } else {
            let base = slugify_or(&s.heading, "avsnitt");
            s.anchor = if used.contains(&base) {
                fresh(used, &base, 2)
            } else {
                base
            };
            used.insert(s.anchor.clone());
        }
    }
}

/// `{base}-{n}` for the first `n` from `from` not yet used.
fn fresh(used: &BTreeSet<String>, base: &str, from: usize) -> String {
    (from..)
        .map(|n| format!("{base}-{n}"))
        .find(|a| !used.contains(a))
        .unwrap_or_default()
}

fn normal(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraph's words, lower case, with how often each occurs.
fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(w.to_lowercase()).or_default() += 1;
    }
    counts
}

/// Shared words over all words (Dice's coefficient), 0–1.
fn likeness(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> f64 {
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        return 0.0;
    }
    let shared: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    2.0 * shared as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "## Vision\n\nEn stad där alla kan delta.\n\n## Principer\n\nVi utgår från\nMalmöandan.\n\n- Dialog\n- Självständighet\n";

    fn anchors(sections: &[TextSection]) -> Vec<String> {
        sections
            .iter()
            .flat_map(|s| {
                std::iter::once(s.anchor.clone())
                    .chain(s.paragraphs.iter().map(|p| p.anchor.clone()))
            })
            .collect()
    }

    fn anchored(text: &str) -> Vec<TextSection> {
        let mut s = parse(text).unwrap();
        assign_anchors(&mut s, &[], &BTreeSet::new());
        s
    }

    #[test]
    fn reads_sections_paragraphs_and_items() {
        let s = parse(TEXT).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].heading, "Principer");
        let kinds: Vec<_> = s[1]
            .paragraphs
            .iter()
            .map(|p| (p.kind, p.body.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (ParagraphKind::Text, "Vi utgår från Malmöandan."),
                (ParagraphKind::Item, "Dialog"),
                (ParagraphKind::Item, "Självständighet"),
            ]
        );
        let written = TEXT.replace("från\nMalmöandan", "från Malmöandan");
        assert_eq!(format(&s), written, "written back, a paragraph on one line");
        assert_eq!(parse(&format(&s)).unwrap(), s);
    }

    #[test]
    fn says_which_line_is_wrong() {
        let cases = [
            ("Inledning utan rubrik\n", 1, "text-no-heading"),
            ("", 1, "text-empty"),
            ("## A\n\ntext\n\n### Under\n", 5, "text-heading-level"),
            ("## A\n\n## \n", 3, "text-heading-empty"),
        ];
        for (text, line, code) in cases {
            let p = parse(text).map(|_| ()).unwrap_err();
            assert_eq!((p.line, p.code), (line, code), "{text:?}: {}", p.message);
        }
        assert!(
            parse("## A\n#hashtag i text\n").is_ok(),
            "a hashtag is text"
        );
        let long = format!("## A\n\n{}\n", "ord ".repeat(2000));
        assert_eq!(parse(&long).unwrap_err().code, "text-paragraph-long");
    }

    #[test]
    fn new_text_gets_anchors_from_headings() {
        let s = anchored(TEXT);
        assert_eq!(
            anchors(&s),
            [
                "vision",
                "vision-1",
                "principer",
                "principer-1",
                "principer-2",
                "principer-3"
            ]
        );
    }

    #[test]
    fn kept_moved_and_edited_paragraphs_keep_their_anchors() {
        let old = anchored(TEXT);
        let edited = "## Principer för samverkan\n\n- Dialog\n\nVi utgår alltid från\nMalmöandan.\n\n- Självständighet och oberoende\n\n## Vision\n\nEn helt ny mening om något annat.\n";
        let mut new = parse(edited).unwrap();
        assign_anchors(&mut new, &old, &BTreeSet::new());
        assert_eq!(
            new[0].anchor, "principer",
            "renamed, its paragraphs came along"
        );
        let p: Vec<&str> = new[0]
            .paragraphs
            .iter()
            .map(|p| p.anchor.as_str())
            .collect();
        assert_eq!(p, ["principer-2", "principer-1", "principer-3"]);
        assert_eq!(new[1].anchor, "vision", "same heading");
        assert_eq!(
            new[1].paragraphs[0].anchor, "vision-2",
            "a new paragraph gets a new anchor"
        );
    }

    #[test]
    fn an_anchor_once_used_is_never_given_again() {
        let old = anchored("## A\n\nEtt.\n\nTvå.\n");
        let used: BTreeSet<String> = ["a-3".to_owned()].into();
        let mut new = parse("## A\n\nEtt.\n\nHelt annat stycke.\n").unwrap();
        assign_anchors(&mut new, &old, &used);
        assert_eq!(anchors(&new), ["a", "a-1", "a-4"]);
        let mut twice = parse("## A\n\nx\n\n## A\n\ny\n").unwrap();
        assign_anchors(&mut twice, &[], &BTreeSet::new());
        assert_eq!(anchors(&twice), ["a", "a-1", "a-2", "a-2-1"]);
    }
}
