//! What a document attached to a decision, a version or a plan may be: its
//! kind is told from its bytes, never from its name, and its name is made
//! safe to put in a `Content-Disposition` header.
//!
//! The magic numbers (PDF, PNG, JPEG, WebP, GIF, and what a refused file
//! looks like) are `infer`'s. The two zip-based families are read from
//! their entries with `zip` (nothing is decompressed): an OpenDocument file
//! has a first entry `mimetype`, stored, whose content is its media type; an
//! Office Open XML file has `[Content_Types].xml` and its main part under
//! `word/`, `xl/` or `ppt/`. `infer`'s own OOXML check looks only at the
//! first local headers, which LibreOffice's files do not order as Word does.

use crate::text_enum::text_enum;
use std::io::{Cursor, Read};

text_enum! {
    /// The kinds of file a document may be.
    DocumentKind {
        Pdf => "pdf",
        Odt => "odt",
        Ods => "ods",
        Odp => "odp",
        Docx => "docx",
        Xlsx => "xlsx",
        Pptx => "pptx",
        Png => "png",
        Jpeg => "jpeg",
        Webp => "webp",
        Gif => "gif",
    }
}

/// A file that is none of the [`DocumentKind`]s: what it looks like
/// instead (a media type such as `text/html`), when that can be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADocument {
    pub looks_like: Option<String>,
}

impl DocumentKind {
    /// The media type the file is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Odt => "application/vnd.oasis.opendocument.text",
            DocumentKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            DocumentKind::Odp => "application/vnd.oasis.opendocument.presentation",
            DocumentKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentKind::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            DocumentKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            DocumentKind::Png => "image/png",
            DocumentKind::Jpeg => "image/jpeg",
            DocumentKind::Webp => "image/webp",
            DocumentKind::Gif => "image/gif",
        }
    }

    /// The kind served as this media type.
    pub fn from_media_type(media_type: &str) -> Option<DocumentKind> {
        DocumentKind::ALL
            .iter()
            .copied()
            .find(|k| k.media_type() == media_type)
    }

    /// The file name's extension for this kind.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    /// Whether a browser may show it in place (PDF and images, which its
    /// own viewer renders); everything else is offered as a download.
    pub fn inline(self) -> bool {
        matches!(
            self,
            DocumentKind::Pdf
                | DocumentKind::Png
                | DocumentKind::Jpeg
                | DocumentKind::Webp
                | DocumentKind::Gif
        )
    }

    /// The kind of `bytes`, from their content alone.
    pub fn detect(bytes: &[u8]) -> Result<DocumentKind, NotADocument> {
        let by_magic = [
            (
                infer::archive::is_pdf as fn(&[u8]) -> bool,
                DocumentKind::Pdf,
            ),
            (infer::image::is_png, DocumentKind::Png),
            (infer::image::is_jpeg, DocumentKind::Jpeg),
            (infer::image::is_webp, DocumentKind::Webp),
            (infer::image::is_gif, DocumentKind::Gif),
        ];
        if let Some((_, kind)) = by_magic.iter().find(|(is, _)| is(bytes)) {
            return Ok(*kind);
        }
        if infer::archive::is_zip(bytes)
            && let Some(kind) = zipped_kind(bytes)
        {
            return Ok(kind);
        }
        Err(NotADocument {
            looks_like: looks_like(bytes),
        })
    }
}

/// What a refused file looks like, as a media type.
fn looks_like(bytes: &[u8]) -> Option<String> {
    if let Some(found) = infer::get(bytes) {
        return Some(found.mime_type().to_owned());
    }
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if [
        "<!doctype html",
        "<html",
        "<script",
        "<head",
        "<body",
        "<iframe",
    ]
    .iter()
    .any(|tag| text.starts_with(tag) || text.contains(&format!("\n{tag}")))
    {
        return Some("text/html".into());
    }
    if text.starts_with("<svg") || (text.starts_with("<?xml") && text.contains("<svg")) {
        return Some("image/svg+xml".into());
    }
    if text.starts_with("<?xml") {
        return Some("text/xml".into());
    }
    let printable = |t: &str| t.chars().all(|c| !c.is_control() || c.is_whitespace());
    if !head.is_empty() && std::str::from_utf8(head).is_ok_and(printable) {
        return Some("text/plain".into());
    }
    None
}

/// An ODF or OOXML file, from its entries.
fn zipped_kind(bytes: &[u8]) -> Option<DocumentKind> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if let Some(kind) = odf_kind(&mut archive) {
        return Some(kind);
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    if !names.iter().any(|n| n == "[Content_Types].xml") {
        return None;
    }
    let has = |part: &str| names.iter().any(|n| n == part);
    if has("word/document.xml") {
        Some(DocumentKind::Docx)
    } else if has("xl/workbook.xml") {
        Some(DocumentKind::Xlsx)
    } else if has("ppt/presentation.xml") {
        Some(DocumentKind::Pptx)
    } else {
        None
    }
}

/// The kind named by the stored `mimetype` entry an OpenDocument file
/// starts with.
fn odf_kind(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<DocumentKind> {
    let first = archive.by_index_raw(0).ok()?;
    if first.name().ok()?.as_ref() != "mimetype"
        || first.compression() != zip::CompressionMethod::Stored
        || first.size() > 100
    {
        return None;
    }
    let mut media_type = String::new();
    first.take(100).read_to_string(&mut media_type).ok()?;
    match DocumentKind::from_media_type(media_type.trim()) {
        Some(kind @ (DocumentKind::Odt | DocumentKind::Ods | DocumentKind::Odp)) => Some(kind),
        _ => None,
    }
}

/// A file name safe to send in a `Content-Disposition` header and a path:
/// no folders, no control characters, no quotes, backslashes or
/// semicolons, at most 100 characters, ending in the kind's extension (the
/// content decides what the file is, so a wrong extension is replaced).
pub fn safe_file_name(name: &str, kind: DocumentKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(
                    c,
                    '"' | '\'' | ';' | '%' | '*' | '?' | '#' | ':' | '<' | '>' | '|'
                )
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').trim();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem.trim(),
        _ => cleaned,
    };
    let stem: String = stem.chars().take(90).collect();
    let stem = if stem.trim().is_empty() {
        "dokument".to_owned()
    } else {
        stem.trim().to_owned()
    };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip of stored entries, in order.
    fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, content) in entries {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn odf(media_type: &str) -> Vec<u8> {
        zipped(&[
            ("mimetype", media_type.as_bytes()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
        ])
    }

    /// As LibreOffice writes a .docx: `_rels` and `docProps` first.
    fn ooxml(main: &str) -> Vec<u8> {
        zipped(&[
            ("_rels/.rels", b"<Relationships/>"),
            ("docProps/app.xml", b"<Properties/>"),
            ("docProps/core.xml", b"<cp:coreProperties/>"),
            (main, b"<document/>"),
            ("[Content_Types].xml", b"<Types/>"),
        ])
    }

    /// The smallest PDF readers accept: header, one page, trailer.
    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

    /// A 1×1 PNG: signature, IHDR, IDAT, IEND.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn the_kind_is_told_from_the_bytes() {
        assert_eq!(DocumentKind::detect(PDF), Ok(DocumentKind::Pdf));
        assert_eq!(DocumentKind::detect(PNG), Ok(DocumentKind::Png));
        assert_eq!(
            DocumentKind::detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0]),
            Ok(DocumentKind::Jpeg)
        );
        assert_eq!(
            DocumentKind::detect(b"RIFF\x24\0\0\0WEBPVP8 \x18\0\0\0"),
            Ok(DocumentKind::Webp)
        );
        assert_eq!(
            DocumentKind::detect(b"GIF89a\x01\0\x01\0"),
            Ok(DocumentKind::Gif)
        );
    }

    #[test]
    fn opendocument_is_told_from_its_stored_mimetype() {
        let odt = odf("application/vnd.oasis.opendocument.text");
        assert_eq!(DocumentKind::detect(&odt), Ok(DocumentKind::Odt));
        let ods = odf("application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(DocumentKind::detect(&ods), Ok(DocumentKind::Ods));
        let odp = odf("application/vnd.oasis.opendocument.presentation");
        assert_eq!(DocumentKind::detect(&odp), Ok(DocumentKind::Odp));
        // A graphics document is ODF but not one of ours.
        let odg = odf("application/vnd.oasis.opendocument.graphics");
        assert!(DocumentKind::detect(&odg).is_err());
        // `mimetype` must come first.
        let late = zipped(&[
            ("content.xml", b"<x/>"),
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ]);
        assert!(DocumentKind::detect(&late).is_err());
    }

    #[test]
    fn office_open_xml_is_told_from_its_parts_in_any_order() {
        assert_eq!(
            DocumentKind::detect(&ooxml("word/document.xml")),
            Ok(DocumentKind::Docx)
        );
        assert_eq!(
            DocumentKind::detect(&ooxml("xl/workbook.xml")),
            Ok(DocumentKind::Xlsx)
        );
        assert_eq!(
            DocumentKind::detect(&ooxml("ppt/presentation.xml")),
            Ok(DocumentKind::Pptx)
        );
        // As Word writes it: the content types first.
        let word = zipped(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(DocumentKind::detect(&word), Ok(DocumentKind::Docx));
        // word/ without the content types is no document (`infer` alone
        // would call it one), nor is a plain zip.
        let bare = zipped(&[("word/document.xml", b"<x/>"), ("a.txt", b"a")]);
        assert!(DocumentKind::detect(&bare).is_err());
        let plain = zipped(&[("a.txt", b"a"), ("b.txt", b"b")]);
        assert_eq!(
            DocumentKind::detect(&plain),
            Err(NotADocument {
                looks_like: Some("application/zip".into())
            })
        );
    }

    #[test]
    fn a_disguised_file_is_refused_with_what_it_looks_like() {
        let looks = |bytes: &[u8]| DocumentKind::detect(bytes).unwrap_err().looks_like;
        assert_eq!(
            looks(b"<html><script>alert(1)</script></html>").as_deref(),
            Some("text/html")
        );
        assert_eq!(
            looks(b"\n  <!DOCTYPE html><html></html>").as_deref(),
            Some("text/html")
        );
        assert_eq!(
            looks(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>").as_deref(),
            Some("image/svg+xml")
        );
        let mut exe = b"MZ\x90\0\x03\0\0\0".to_vec();
        exe.resize(128, 0);
        assert_eq!(
            looks(&exe).as_deref(),
            Some("application/vnd.microsoft.portable-executable")
        );
        let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
        elf.resize(64, 0);
        assert_eq!(looks(&elf).as_deref(), Some("application/x-executable"));
        assert_eq!(looks(b"just some words").as_deref(), Some("text/plain"));
        assert_eq!(looks(&[0, 159, 146, 150]), None);
        assert_eq!(looks(b""), None);
    }

    #[test]
    fn a_file_name_is_made_safe_and_named_for_its_content() {
        let safe = |name: &str| safe_file_name(name, DocumentKind::Pdf);
        assert_eq!(safe("Beslut 2024-05-12.pdf"), "Beslut 2024-05-12.pdf");
        assert_eq!(safe("../../etc/passwd"), "passwd.pdf");
        assert_eq!(safe("C:\\Users\\x\\Protokoll.PDF"), "Protokoll.pdf");
        assert_eq!(safe("a\"b;c\r\nd.pdf"), "a_b_c__d.pdf");
        assert_eq!(safe("bild.png"), "bild.pdf");
        assert_eq!(safe(".."), "dokument.pdf");
        assert_eq!(safe(""), "dokument.pdf");
        assert_eq!(
            safe("Överenskommelse för Malmö.pdf"),
            "Överenskommelse för Malmö.pdf"
        );
        assert_eq!(safe(&"x".repeat(300)).chars().count(), 94);
        assert_eq!(safe_file_name("foto.jpeg", DocumentKind::Jpeg), "foto.jpg");
    }

    #[test]
    fn each_kind_has_a_media_type_of_its_own() {
        for kind in DocumentKind::ALL {
            assert_eq!(
                DocumentKind::from_media_type(kind.media_type()),
                Some(*kind)
            );
        }
    }
}
