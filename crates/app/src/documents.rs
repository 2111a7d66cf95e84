//! Documents attached to decisions, versions of the agreement's text and
//! action plans: who may attach one (the agreement's coordinators), what a
//! file may be (its kind told from its bytes, at most the configured size),
//! and who may read it (anyone, unless its owner is a draft version).
//!
//! A form that makes the owner and attaches a file in one request (adopting
//! the agreement with a decision, say) calls [`App::check_document`] before
//! it writes anything and [`insert_document`] inside its own transaction.

use crate::accounts::CurrentUser;
use crate::roles::Roles;
use crate::{App, Error, FieldError, Result};
use samverkan_db::Tx;
use samverkan_db::documents::{DocumentRow, NewDocument, OwnerRow};
use samverkan_domain::{DocumentKind, safe_file_name};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The largest document accepted when nothing else is configured: 20 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// What a document is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentOwner {
    Decision(i64),
    Version(i64),
    Plan(i64),
    /// A meeting of the working group (its agenda's papers, its minutes).
    Meeting(i64),
}

impl DocumentOwner {
    /// The owner's kind as stored (`documents.owner_kind`).
    pub fn kind(self) -> &'static str {
        match self {
            DocumentOwner::Decision(_) => "decision",
            DocumentOwner::Version(_) => "version",
            DocumentOwner::Plan(_) => "plan",
            DocumentOwner::Meeting(_) => "meeting",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            DocumentOwner::Decision(id)
            | DocumentOwner::Version(id)
            | DocumentOwner::Plan(id)
            | DocumentOwner::Meeting(id) => id,
        }
    }

    /// The owner stored as `kind` and `id`.
    pub fn from_stored(kind: &str, id: i64) -> Option<DocumentOwner> {
        match kind {
            "decision" => Some(DocumentOwner::Decision(id)),
            "version" => Some(DocumentOwner::Version(id)),
            "plan" => Some(DocumentOwner::Plan(id)),
            "meeting" => Some(DocumentOwner::Meeting(id)),
            _ => None,
        }
    }
}

/// Whether an owner is shown to the public: decisions, plans and meetings
/// (whose agenda is public) are; a version is unless it is a draft.
fn is_public(owner: &OwnerRow) -> bool {
    owner.version_status.as_deref() != Some("draft")
}

/// A document as lists show it (the public pages, the API): never its
/// content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DocumentRef {
    pub id: i64,
    /// Where the file is served, a path on this site.
    pub url: String,
    pub title: String,
    pub file_name: String,
    pub kind: DocumentKind,
    pub media_type: String,
    pub size_bytes: i64,
}

impl DocumentRef {
    /// The size as a person reads it ("340 kB").
    pub fn size_text(&self) -> String {
        size_text(usize::try_from(self.size_bytes).unwrap_or(usize::MAX))
    }

    /// The description of a stored row; `None` for a media type that is no
    /// longer one of the kinds (never written so).
    pub fn of(row: &DocumentRow) -> Option<DocumentRef> {
        let kind = DocumentKind::from_media_type(&row.media_type)?;
        Some(DocumentRef {
            id: row.id,
            url: document_path(row.id, &row.file_name),
            title: row.title.clone(),
            file_name: row.file_name.clone(),
            kind,
            media_type: row.media_type.clone(),
            size_bytes: row.size_bytes,
        })
    }
}

/// The path a document is served at: `/documents/{id}/{file name}`, the
/// name percent-encoded.
pub fn document_path(id: i64, file_name: &str) -> String {
    format!("/documents/{id}/{}", percent_encode(file_name))
}

/// Every byte outside the unreserved characters of RFC 3986 as `%XX` (for
/// a path segment, and for `filename*=UTF-8''…` of RFC 8187).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A size a person reads: whole MB from 1 MB, else whole kB (no decimal
/// separator to word per language).
pub fn size_text(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes / MB)
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

/// A file that passed the checks, not yet stored.
#[derive(Debug, Clone)]
pub struct CheckedDocument<'a> {
    pub title: String,
    /// The name it is served under (see [`safe_file_name`]).
    pub file_name: String,
    pub kind: DocumentKind,
    pub sha256: String,
    pub bytes: &'a [u8],
}

/// The largest title.
const TITLE_CHARS: usize = 200;

/// Checks a title and a file against the rules, writing nothing: the title
/// 1 to 200 characters, the file present, at most `max_bytes`, and of a
/// kind told from its content.
pub fn check<'a>(
    title: &str,
    file_name: &str,
    bytes: &'a [u8],
    max_bytes: usize,
) -> Result<CheckedDocument<'a>> {
    let mut errors = Vec::new();
    let title = title.trim();
    if !(1..=TITLE_CHARS).contains(&title.chars().count()) {
        errors.push(FieldError::new(
            "title",
            "document-title-length",
            "write a title, 1 to 200 characters, e.g. Kommunfullmäktiges protokoll",
        ));
    }
    let kind = if bytes.is_empty() {
        errors.push(FieldError::new(
            "file",
            "document-file-missing",
            "choose the file to attach",
        ));
        None
    } else if bytes.len() > max_bytes {
        let limit = size_text(max_bytes);
        errors.push(FieldError {
            detail: Some(limit.clone()),
            ..FieldError::new(
                "file",
                "document-too-large",
                format!(
                    "the file is {}; the limit is {limit}: make it smaller (a PDF of scanned pages can be saved at a lower resolution)",
                    size_text(bytes.len())
                ),
            )
        });
        None
    } else {
        match DocumentKind::detect(bytes) {
            Ok(kind) => Some(kind),
            Err(refused) => {
                errors.push(match refused.looks_like {
                    Some(looks_like) => FieldError {
                        detail: Some(looks_like.clone()),
                        ..FieldError::new(
                            "file",
                            "document-not-accepted",
                            format!(
                                "the file is not a PDF, ODF, Word document or image: it looks like {looks_like}"
                            ),
                        )
                    },
                    None => FieldError::new(
                        "file",
                        "document-unknown",
                        "the file is not a PDF, ODF, Word document or image",
                    ),
                });
                None
            }
        }
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(CheckedDocument {
            title: title.to_owned(),
            file_name: safe_file_name(file_name, kind),
            kind,
            sha256: Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            bytes,
        }),
        _ => Err(Error::Validation(errors)),
    }
}

/// A document just stored, and whether the public pages show it (the
/// caller commits with [`App::commit_public`] then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attached {
    pub id: i64,
    pub public: bool,
}

/// Stores a checked document for `owner` inside the caller's transaction,
/// with an audit entry. The owner is read in that transaction, so one the
/// caller has just inserted is found. Permission is the caller's to check
/// (a coordinator of the owner's agreement, [`Roles::coordinates`]).
pub async fn insert_document(
    tx: &mut Tx,
    user: &CurrentUser,
    owner: DocumentOwner,
    document: &CheckedDocument<'_>,
) -> Result<Attached> {
    let found = tx
        .document_owner(owner.kind(), owner.id())
        .await?
        .ok_or(Error::NotFound("document owner"))?;
    let now = OffsetDateTime::now_utc();
    let id = tx
        .insert_document(&NewDocument {
            agreement_id: found.agreement_id,
            owner_kind: owner.kind(),
            owner_id: owner.id(),
            title: &document.title,
            file_name: &document.file_name,
            media_type: document.kind.media_type(),
            sha256: &document.sha256,
            content: document.bytes,
            uploaded_by: Some(user.id),
            uploaded_at: now,
        })
        .await?;
    tx.audit(
        now,
        Some(user.id),
        "document-attached",
        &format!("{}/{}/{}", found.agreement_slug, owner.kind(), owner.id()),
        &format!(
            "{id}: {} ({}, {} bytes, sha256 {})",
            document.title,
            document.file_name,
            document.bytes.len(),
            document.sha256
        ),
    )
    .await?;
    Ok(Attached {
        id,
        public: is_public(&found),
    })
}

/// One stored document with its content, to serve.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub doc: DocumentRef,
    pub sha256: String,
    /// The slug of the owner's agreement.
    pub agreement: String,
    /// Whether anyone may read it; otherwise only the agreement's
    /// coordinators ([`StoredDocument::readable_by`]).
    pub public: bool,
    pub content: Vec<u8>,
}

impl StoredDocument {
    /// Whether these roles (none for a visitor) may read it.
    pub fn readable_by(&self, roles: Option<&Roles>) -> bool {
        self.public || roles.is_some_and(|r| r.coordinates(&self.agreement))
    }
}

impl App {
    /// The largest document accepted, in bytes.
    pub fn max_document_bytes(&self) -> usize {
        self.config().max_document_bytes
    }

    /// Checks a document without writing it (see [`check`]), against this
    /// install's size limit.
    pub fn check_document<'a>(
        &self,
        title: &str,
        file_name: &str,
        bytes: &'a [u8],
    ) -> Result<CheckedDocument<'a>> {
        check(title, file_name, bytes, self.max_document_bytes())
    }

    /// Attaches a file to `owner`: a coordinator of the owner's agreement
    /// only; checked ([`App::check_document`]), stored with an audit entry
    /// in one transaction that moves the public change counter when the
    /// owner is public. Returns the document's id.
    pub async fn attach_document(
        &self,
        user: &CurrentUser,
        roles: &Roles,
        owner: DocumentOwner,
        title: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<i64> {
        let found = self
            .db()
            .document_owner(owner.kind(), owner.id())
            .await?
            .ok_or(Error::NotFound("document owner"))?;
        if !roles.coordinates(&found.agreement_slug) {
            return Err(Error::Forbidden(
                "only the agreement's coordinators attach documents",
            ));
        }
        let checked = self.check_document(title, file_name, bytes)?;
        let mut tx = self.db().begin().await?;
        let attached = insert_document(&mut tx, user, owner, &checked).await?;
        if attached.public {
            self.commit_public(tx).await?;
        } else {
            tx.commit().await?;
        }
        Ok(attached.id)
    }

    /// The documents of one owner, oldest first (no content).
    pub async fn documents_of(&self, owner: DocumentOwner) -> Result<Vec<DocumentRef>> {
        let rows = self.db().documents_of(owner.kind(), owner.id()).await?;
        Ok(rows.iter().filter_map(DocumentRef::of).collect())
    }

    /// One document with its content, and who may read it.
    pub async fn stored_document(&self, id: i64) -> Result<Option<StoredDocument>> {
        let Some(file) = self.db().document(id).await? else {
            return Ok(None);
        };
        let owner = self
            .db()
            .document_owner(&file.row.owner_kind, file.row.owner_id)
            .await?
            .ok_or_else(|| Error::internal_bare("a document whose owner is gone"))?;
        let doc = DocumentRef::of(&file.row)
            .ok_or_else(|| Error::internal_bare("a document of an unknown media type"))?;
        Ok(Some(StoredDocument {
            doc,
            sha256: file.row.sha256,
            agreement: owner.agreement_slug.clone(),
            public: is_public(&owner),
            content: file.content,
        }))
    }

    /// Decision `decision` of agreement `agreement`, as an owner.
    pub async fn decision_owner(&self, agreement: &str, decision: i64) -> Result<DocumentOwner> {
        self.db()
            .decision_in(agreement, decision)
            .await?
            .map(DocumentOwner::Decision)
            .ok_or(Error::NotFound("decision"))
    }

    /// Version `number` of agreement `agreement`, as an owner.
    pub async fn version_owner(&self, agreement: &str, number: i32) -> Result<DocumentOwner> {
        self.db()
            .version_in(agreement, number)
            .await?
            .map(DocumentOwner::Version)
            .ok_or(Error::NotFound("version"))
    }

    /// Plan `plan` (by slug) of agreement `agreement`, as an owner.
    pub async fn plan_owner(&self, agreement: &str, plan: &str) -> Result<DocumentOwner> {
        self.db()
            .plan_in(agreement, plan)
            .await?
            .map(DocumentOwner::Plan)
            .ok_or(Error::NotFound("plan"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

    fn codes(e: Error) -> Vec<(&'static str, &'static str, Option<String>)> {
        let Error::Validation(errors) = e else {
            panic!("a validation error, not {e:?}");
        };
        errors
            .into_iter()
            .map(|e| (e.field, e.code, e.detail))
            .collect()
    }

    #[test]
    fn a_pdf_with_a_title_passes_under_a_safe_name() {
        let checked = check("  Protokoll  ", "../Protokoll \"KF\".pdf", PDF, 1024).unwrap();
        assert_eq!(checked.title, "Protokoll");
        assert_eq!(checked.file_name, "Protokoll _KF_.pdf");
        assert_eq!(checked.kind, DocumentKind::Pdf);
        // The digest is of the bytes (the same file, the same digest), in hex.
        let empty = check("x", "x.pdf", PDF, 1024).unwrap().sha256;
        assert_eq!(empty, checked.sha256);
        assert_eq!(checked.sha256.len(), 64);
        assert!(
            checked
                .sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_ne!(
            check("x", "x.pdf", b"%PDF-1.5\n", 1024).unwrap().sha256,
            checked.sha256
        );
    }

    #[test]
    fn each_problem_is_named_at_its_field() {
        let too_big = vec![b'%'; 3000];
        assert_eq!(
            codes(check("", "x.pdf", &too_big, 2048).unwrap_err()),
            [
                ("title", "document-title-length", None),
                ("file", "document-too-large", Some("2 kB".into())),
            ]
        );
        assert_eq!(
            codes(check("Beslut", "x.pdf", b"<html><script>", 2048).unwrap_err()),
            [("file", "document-not-accepted", Some("text/html".into()))]
        );
        assert_eq!(
            codes(check("Beslut", "x.pdf", &[0, 1, 2, 3], 2048).unwrap_err()),
            [("file", "document-unknown", None)]
        );
        assert_eq!(
            codes(check("Beslut", "", b"", 2048).unwrap_err()),
            [("file", "document-file-missing", None)]
        );
    }

    #[test]
    fn sizes_are_worded_in_whole_units() {
        assert_eq!(size_text(DEFAULT_MAX_DOCUMENT_BYTES), "20 MB");
        assert_eq!(size_text(512 * 1024), "512 kB");
        assert_eq!(size_text(1000), "1 kB");
        assert_eq!(size_text(3 * 1024 * 1024 + 5), "3 MB");
    }

    #[test]
    fn a_path_names_the_file_percent_encoded() {
        assert_eq!(
            document_path(7, "Beslut om Malmöandan.pdf"),
            "/documents/7/Beslut%20om%20Malm%C3%B6andan.pdf"
        );
    }

    #[test]
    fn only_a_draft_version_is_private() {
        let owner = |status: Option<&str>| OwnerRow {
            agreement_id: 1,
            agreement_slug: "sjovik".into(),
            version_status: status.map(str::to_owned),
        };
        assert!(is_public(&owner(None)));
        assert!(is_public(&owner(Some("adopted"))));
        assert!(!is_public(&owner(Some("draft"))));
    }
}
