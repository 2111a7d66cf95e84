//! The translation catalogue is complete: both languages have the same
//! messages, every key the code and templates use exists, and every enum
//! value has a label.

use samverkan_domain::{
    ActionStatus, ActivityStatus, AgreementStatus, CityBodyKind, PlanPart, RoleKind, Side,
    VersionStatus,
};
use samverkan_web::i18n::{EN_FTL, SV_FTL};
use std::collections::BTreeSet;
use std::path::Path;

fn ids(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

fn files_under(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// Keys passed as string literals to a translator's `get`, `with` and `label`.
fn used_keys() -> BTreeSet<(String, bool)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = Vec::new();
    files_under(&root.join("templates"), &mut sources);
    files_under(&root.join("src"), &mut sources);
    let mut keys = BTreeSet::new();
    for source in &sources {
        let calls = [
            ("t.get(\"", false),
            ("t().get(\"", false),
            ("t.with(\"", false),
            ("t().with(\"", false),
            ("t.label(\"", true),
        ];
        for (call, is_prefix) in calls {
            for piece in source.split(call).skip(1) {
                if let Some(end) = piece.find('"') {
                    let key = &piece[..end];
                    if key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        && !key.is_empty()
                    {
                        keys.insert((key.to_owned(), is_prefix));
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn both_languages_have_the_same_messages() {
    let (sv, en) = (ids(SV_FTL), ids(EN_FTL));
    let only_sv: Vec<_> = sv.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&sv).collect();
    assert!(
        only_sv.is_empty() && only_en.is_empty(),
        "only sv: {only_sv:?}; only en: {only_en:?}"
    );
    assert!(sv.len() > 100);
}

#[test]
fn every_key_used_in_code_and_templates_exists() {
    let sv = ids(SV_FTL);
    let mut missing = Vec::new();
    for (key, is_prefix) in used_keys() {
        let found = if is_prefix {
            sv.iter().any(|id| id.starts_with(&format!("{key}-")))
        } else {
            sv.contains(&key)
        };
        if !found {
            missing.push(key);
        }
    }
    assert!(
        missing.is_empty(),
        "missing from the catalogue: {missing:?}"
    );
}

#[test]
fn every_enum_value_has_a_label() {
    let sv = ids(SV_FTL);
    let mut wanted: Vec<String> = Vec::new();
    wanted.extend(
        AgreementStatus::ALL
            .iter()
            .map(|s| format!("agreement-status-{s}")),
    );
    wanted.extend(
        AgreementStatus::ALL
            .iter()
            .map(|s| format!("agreement-status-explain-{s}")),
    );
    wanted.extend(
        VersionStatus::ALL
            .iter()
            .map(|s| format!("version-status-{s}")),
    );
    wanted.extend(CityBodyKind::ALL.iter().map(|s| format!("body-kind-{s}")));
    wanted.extend(RoleKind::ALL.iter().map(|s| format!("role-kind-{s}")));
    wanted.extend(Side::ALL.iter().map(|s| format!("side-{s}")));
    wanted.extend(
        ActionStatus::ALL
            .iter()
            .map(|s| format!("action-status-{s}")),
    );
    wanted.extend((1..=12).map(|m| format!("month-{m}")));
    wanted.extend(
        ActivityStatus::ALL
            .iter()
            .map(|s| format!("activity-status-{s}")),
    );
    wanted.extend(PlanPart::ALL.iter().map(|s| format!("plan-part-{s}")));
    wanted.extend(
        samverkan_domain::DocumentKind::ALL
            .iter()
            .map(|s| format!("document-kind-{s}")),
    );
    wanted.extend(
        samverkan_app::plans::activities::ACTIVITY_FIELDS
            .iter()
            .chain(["created"].iter())
            .map(|f| format!("activity-field-{}", f.replace('_', "-"))),
    );
    let missing: Vec<_> = wanted.iter().filter(|k| !sv.contains(*k)).collect();
    assert!(missing.is_empty(), "missing labels: {missing:?}");
}

#[test]
fn no_message_is_defined_twice() {
    for (lang, source) in [("sv", SV_FTL), ("en", EN_FTL)] {
        let mut seen = BTreeSet::new();
        let twice: Vec<String> = source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .filter(|id| !seen.insert(id.clone()))
            .collect();
        assert!(twice.is_empty(), "{lang}: defined twice: {twice:?}");
    }
}

/// Every problem code the activity and update checks can give has its
/// wording (`field-<code>`) in the catalogue.
#[test]
fn every_activity_problem_code_is_worded() {
    let sv = ids(SV_FTL);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/plans");
    let mut missing = Vec::new();
    for file in ["activities.rs", "follow_up.rs"] {
        let source = std::fs::read_to_string(root.join(file)).unwrap();
        for piece in source.split('"').skip(1).step_by(2) {
            let is_code = ["activity-", "update-", "assessment-"]
                .iter()
                .any(|p| piece.starts_with(p))
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if is_code && !sv.contains(&format!("field-{piece}")) {
                missing.push(piece.to_owned());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "problem codes without wording: {missing:?}"
    );
}
