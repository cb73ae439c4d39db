//! 附件 Content-addressed attachments.
//!
//! Bytes live under `DATA_DIR/attachments/<first 2 hex>/<sha256 hex>`, written to a
//! temporary file in the same directory and renamed into place, so a crash never leaves
//! a half-written file under a final name; the same content stored twice shares one
//! file. The `attachments` table links a file to its owning record (`owner_kind`,
//! `owner_id`) with a cleaned file name and the type found by reading the content.
//!
//! Only PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) and UTF-8 text/CSV are accepted, and
//! the extension must agree with the content. Reading goes through [`AttachmentStore::open`]
//! with the caller's access check against the owning record.

use std::io::Write;
use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::AppError;
use crate::{on_db, on_tx};

/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 100;
const MIB: u64 = 1024 * 1024;

/// A stored attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub county_code: String,
    pub sha256: String,
    pub size: i64,
    /// The type found in the content (never the one the browser declared).
    pub mime: String,
    /// The cleaned file name, for display and downloads.
    pub filename: String,
    /// The kind of the owning record, e.g. `mediation_case`.
    pub owner_kind: String,
    pub owner_id: i64,
    /// The actor who uploaded it (see [`Actor::as_string`]).
    pub created_by: String,
    pub created_at: i64,
}

/// An upload to store.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub county_code: &'a str,
    pub owner_kind: &'a str,
    pub owner_id: i64,
    /// As sent by the browser; cleaned by [`sanitize_filename`].
    pub filename: &'a str,
    /// As sent by the browser; only logged — the stored type comes from the content.
    pub declared_mime: &'a str,
    pub bytes: &'a [u8],
    pub actor: &'a Actor,
}

/// The accepted kinds of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Text,
    Csv,
}

impl Kind {
    fn from_extension(ext: &str) -> Option<Kind> {
        Some(match ext {
            "pdf" => Kind::Pdf,
            "png" => Kind::Png,
            "jpg" | "jpeg" => Kind::Jpeg,
            "docx" => Kind::Docx,
            "xlsx" => Kind::Xlsx,
            "txt" => Kind::Text,
            "csv" => Kind::Csv,
            _ => return None,
        })
    }

    fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Text => "text/plain; charset=utf-8",
            Kind::Csv => "text/csv; charset=utf-8",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Png => "PNG 图片",
            Kind::Jpeg => "JPEG 图片",
            Kind::Docx => "Word 文档（.docx）",
            Kind::Xlsx => "Excel 表格（.xlsx）",
            Kind::Text => "文本",
            Kind::Csv => "CSV 表格",
        }
    }

    /// Does the content look like this kind?
    fn matches(self, b: &[u8]) -> bool {
        let zip = b.starts_with(b"PK\x03\x04");
        match self {
            Kind::Pdf => b.starts_with(b"%PDF-"),
            Kind::Png => b.starts_with(b"\x89PNG\r\n\x1a\n"),
            Kind::Jpeg => b.starts_with(b"\xFF\xD8\xFF"),
            // Office files are ZIP archives; the entry names in the local headers tell them apart.
            Kind::Docx => zip && contains(b, b"word/"),
            Kind::Xlsx => zip && contains(b, b"xl/"),
            Kind::Text | Kind::Csv => is_plain_text(b),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// UTF-8 (an optional BOM allowed) without control characters other than tab, line
/// breaks and form feed.
fn is_plain_text(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    std::str::from_utf8(b).is_ok_and(|s| s.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c')))
}

/// Keep only the last path component, drop control and bidirectional-override
/// characters, replace characters Windows forbids, trim dots and spaces from both ends
/// and shorten to 100 characters, keeping the extension.
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let name = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if name.is_empty() {
        return "未命名".into();
    }
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_string();
    }
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.chars().count() <= 10 => format!(".{ext}"),
        _ => String::new(),
    };
    let stem: String = name.chars().take(MAX_NAME_CHARS - ext.chars().count()).collect();
    format!("{}{ext}", stem.trim_end())
}

/// The type of an upload: named by its extension, confirmed by its content.
fn sniff(filename: &str, bytes: &[u8]) -> Result<Kind, AppError> {
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let Some(kind) = Kind::from_extension(&ext) else {
        return Err(AppError::bad_request(
            "attachment.type",
            "不支持的文件类型，只接受 PDF、PNG、JPEG、Word（.docx）、Excel（.xlsx）、TXT、CSV",
        ));
    };
    if kind.matches(bytes) {
        return Ok(kind);
    }
    let message = if matches!(kind, Kind::Text | Kind::Csv) && std::str::from_utf8(bytes).is_err() {
        format!("文件“{filename}”不是 UTF-8 编码的{}，请另存为 UTF-8 后再上传", kind.zh())
    } else {
        format!("文件“{filename}”的内容与扩展名 .{ext} 不符（不是{}）", kind.zh())
    };
    Err(AppError::bad_request("attachment.type", message))
}

fn mib(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) { (bytes / MIB).to_string() } else { format!("{:.1}", bytes as f64 / MIB as f64) }
}

/// Where attachments live, and how large one may be.
#[derive(Debug, Clone)]
pub struct AttachmentStore {
    root: PathBuf,
    max_bytes: u64,
}

impl AttachmentStore {
    /// Files go under `data_dir/attachments`.
    pub fn new(data_dir: impl AsRef<Path>, max_bytes: u64) -> AttachmentStore {
        AttachmentStore { root: data_dir.as_ref().join("attachments"), max_bytes }
    }

    /// The file of the content with this SHA-256 (`None` for anything but 64 hex digits).
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let ok = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Check, write (once per content) and record an upload, with an audit entry.
    pub async fn store(&self, db: &Db, now_ms: i64, new: &NewAttachment<'_>) -> Result<Attachment, AppError> {
        let size = new.bytes.len() as u64;
        if size > self.max_bytes {
            return Err(AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "attachment.too_large",
                format!("附件不能超过 {} MiB", mib(self.max_bytes)),
            ));
        }
        if size == 0 {
            return Err(AppError::bad_request("attachment.empty", "文件是空的，请重新选择"));
        }
        let filename = sanitize_filename(new.filename);
        let kind = sniff(&filename, new.bytes)?;
        if !new.declared_mime.is_empty() && new.declared_mime != kind.mime() {
            tracing::debug!(declared = new.declared_mime, found = kind.mime(), "attachment type declared differently");
        }
        let sha256 = hex::encode(Sha256::digest(new.bytes));
        let path = self.path_of(&sha256).ok_or_else(|| AppError::internal("sha256 hex has an unexpected form"))?;
        let bytes = new.bytes.to_vec();
        tokio::task::spawn_blocking(move || write_once(&path, &bytes)).await.map_err(AppError::internal)?.map_err(AppError::internal)?;

        // The file is in place before the row exists: a crash in between leaves an
        // unreferenced file, never a row without its file.
        let created_by = new.actor.as_string();
        let size = size as i64;
        let mut tx = db.begin().await?;
        let id: i64 = on_tx!(&mut tx, |c| {
            sqlx::query_scalar(
                "INSERT INTO attachments (county_code, sha256, size, mime, filename, owner_kind, owner_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(new.county_code)
            .bind(&sha256)
            .bind(size)
            .bind(kind.mime())
            .bind(&filename)
            .bind(new.owner_kind)
            .bind(new.owner_id)
            .bind(&created_by)
            .bind(now_ms)
            .fetch_one(&mut *c)
            .await
        })?;
        let entity_id = id.to_string();
        let change = Change {
            county_code: new.county_code,
            actor: new.actor,
            action: "attachment.add",
            entity: "attachment",
            entity_id: &entity_id,
            detail: serde_json::json!({
                "owner_kind": new.owner_kind, "owner_id": new.owner_id, "filename": filename,
                "sha256": sha256, "size": size, "mime": kind.mime(),
            }),
        };
        audit::append(&mut tx, now_ms, &change).await?;
        tx.commit().await?;
        Ok(Attachment {
            id,
            county_code: new.county_code.into(),
            sha256,
            size,
            mime: kind.mime().into(),
            filename,
            owner_kind: new.owner_kind.into(),
            owner_id: new.owner_id,
            created_by,
            created_at: now_ms,
        })
    }

    /// Metadata and bytes of attachment `id`, if `can_access` allows it (the caller checks
    /// the owning record: scope, role, case membership…). The bytes are checked against
    /// their hash.
    pub async fn open(&self, db: &Db, id: i64, can_access: impl Fn(&Attachment) -> bool) -> Result<(Attachment, Vec<u8>), AppError> {
        let Some(a) = get(db, id).await? else {
            return Err(AppError::not_found("attachment.not_found", "附件不存在"));
        };
        if !can_access(&a) {
            return Err(AppError::forbidden("attachment.forbidden", "无权查看该附件"));
        }
        let path = self.path_of(&a.sha256).ok_or_else(|| AppError::internal(format!("attachment {id}: malformed sha256")))?;
        let bytes = tokio::fs::read(&path).await.map_err(|e| AppError::internal(format!("attachment {id}: {}: {e}", path.display())))?;
        if hex::encode(Sha256::digest(&bytes)) != a.sha256 {
            return Err(AppError::internal(format!("attachment {id}: content does not match its sha256")));
        }
        Ok((a, bytes))
    }
}

/// Write `bytes` to `path` unless a file of the same size is there already: into a
/// temporary file of the same directory, flushed to disk, then renamed into place.
fn write_once(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(());
    }
    let dir = path.parent().ok_or_else(|| std::io::Error::other("attachment path has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new().prefix(".upload-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Attachment metadata by id (no access check: for code that checked already).
pub async fn get(db: &Db, id: i64) -> Result<Option<Attachment>, sqlx::Error> {
    const SQL: &str = "SELECT id, county_code, sha256, size, mime, filename, owner_kind, owner_id, created_by, created_at \
         FROM attachments WHERE id = $1";
    on_db!(db, |p| sqlx::query_as(SQL).bind(id).fetch_optional(p).await)
}

/// The attachments of one record, oldest first.
pub async fn list_for_owner(db: &Db, owner_kind: &str, owner_id: i64) -> Result<Vec<Attachment>, sqlx::Error> {
    const SQL: &str = "SELECT id, county_code, sha256, size, mime, filename, owner_kind, owner_id, created_by, created_at \
         FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY id";
    on_db!(db, |p| sqlx::query_as(SQL).bind(owner_kind).bind(owner_id).fetch_all(p).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0";
    const DOCX: &[u8] = b"PK\x03\x04\x14\0\0\0[Content_Types].xmlPK\x03\x04word/document.xml";
    const XLSX: &[u8] = b"PK\x03\x04\x14\0\0\0[Content_Types].xmlPK\x03\x04xl/workbook.xml";

    fn actor() -> Actor {
        Actor::User { id: 3, username: "tiaojie".into() }
    }

    fn upload<'a>(filename: &'a str, bytes: &'a [u8], owner_id: i64, actor: &'a Actor) -> NewAttachment<'a> {
        NewAttachment {
            county_code: "410922",
            owner_kind: "mediation_case",
            owner_id,
            filename,
            declared_mime: "application/octet-stream",
            bytes,
            actor,
        }
    }

    fn files_under(dir: &Path) -> usize {
        std::fs::read_dir(dir).map(|rd| rd.flatten().map(|e| if e.path().is_dir() { files_under(&e.path()) } else { 1 }).sum()).unwrap_or(0)
    }

    #[tokio::test]
    async fn attachments_same_content_shares_one_file_and_opens_with_access_check() {
        for t in testing::all().await.unwrap() {
            let dir = tempfile::tempdir().unwrap();
            let store = AttachmentStore::new(dir.path(), MIB);
            let a = actor();
            let first = store.store(&t.db, 1, &upload("调解协议.pdf", PDF, 1, &a)).await.unwrap();
            let second = store.store(&t.db, 2, &upload("协议副本.PDF", PDF, 2, &a)).await.unwrap();
            assert_ne!(first.id, second.id);
            assert_eq!(first.sha256, second.sha256);
            assert_eq!((first.mime.as_str(), first.size), ("application/pdf", PDF.len() as i64));
            assert_eq!(files_under(dir.path()), 1, "one file for one content on {}", t.name);
            let path = store.path_of(&first.sha256).unwrap();
            assert_eq!(path, dir.path().join("attachments").join(&first.sha256[..2]).join(&first.sha256));
            assert_eq!(std::fs::read(&path).unwrap(), PDF);

            let (meta, bytes) = store.open(&t.db, first.id, |x| x.owner_kind == "mediation_case" && x.owner_id == 1).await.unwrap();
            assert_eq!((meta, bytes.as_slice()), (first.clone(), PDF));
            let denied = store.open(&t.db, second.id, |x| x.owner_id == 1).await.unwrap_err();
            assert_eq!((denied.code, denied.status), ("attachment.forbidden", StatusCode::FORBIDDEN), "{}", t.name);
            assert_eq!(store.open(&t.db, 999_999, |_| true).await.unwrap_err().code, "attachment.not_found");
            assert_eq!(list_for_owner(&t.db, "mediation_case", 2).await.unwrap(), vec![second.clone()]);
            assert_eq!(audit::history(&t.db, "attachment", &first.id.to_string(), 5).await.unwrap()[0].action, "attachment.add");

            // A file changed on disk is refused, not served.
            std::fs::write(&path, b"%PDF-tampered").unwrap();
            assert_eq!(store.open(&t.db, first.id, |_| true).await.unwrap_err().code, "internal");
        }
    }

    #[tokio::test]
    async fn attachments_size_limit_and_empty_files() {
        for t in testing::all().await.unwrap() {
            let dir = tempfile::tempdir().unwrap();
            let store = AttachmentStore::new(dir.path(), 2 * MIB);
            let a = actor();
            let mut big = b"%PDF-".to_vec();
            big.resize(2 * MIB as usize + 1, b' ');
            let e = store.store(&t.db, 0, &upload("大.pdf", &big, 1, &a)).await.unwrap_err();
            assert_eq!((e.code, e.status), ("attachment.too_large", StatusCode::PAYLOAD_TOO_LARGE));
            assert_eq!(e.message, "附件不能超过 2 MiB");
            big.truncate(2 * MIB as usize);
            store.store(&t.db, 0, &upload("刚好.pdf", &big, 1, &a)).await.unwrap();
            assert_eq!(store.store(&t.db, 0, &upload("空.txt", b"", 1, &a)).await.unwrap_err().code, "attachment.empty");
            assert_eq!(list_for_owner(&t.db, "mediation_case", 1).await.unwrap().len(), 1, "{}", t.name);
        }
    }

    #[tokio::test]
    async fn attachments_type_is_sniffed_and_must_match_the_extension() {
        for t in testing::all().await.unwrap() {
            let dir = tempfile::tempdir().unwrap();
            let store = AttachmentStore::new(dir.path(), MIB);
            let a = actor();
            let gbk_csv: &[u8] = b"\xd0\xd5\xc3\xfb,\xbd\xf0\xb6\xee\n"; // 姓名,金额 in GBK
            for (name, bytes, expect) in [
                ("照片.png", PNG, Ok("image/png")),
                ("照片.JPG", JPEG, Ok("image/jpeg")),
                ("笔录.docx", DOCX, Ok(Kind::Docx.mime())),
                ("台账.xlsx", XLSX, Ok(Kind::Xlsx.mime())),
                ("说明.txt", "当事人同意调解。\r\n".as_bytes(), Ok("text/plain; charset=utf-8")),
                ("名单.csv", "\u{feff}姓名,金额\n张三,100\n".as_bytes(), Ok("text/csv; charset=utf-8")),
                ("假的.pdf", PNG, Err("不符")),
                ("假的.png", PDF, Err("不符")),
                ("假的.xlsx", DOCX, Err("不符")),
                ("假的.docx", b"PK\x03\x04not office".as_slice(), Err("不符")),
                ("二进制.txt", b"MZ\x90\0\x03\0\0\0".as_slice(), Err("UTF-8")),
                ("名单.csv", gbk_csv, Err("UTF-8")),
                ("程序.exe", b"MZ\x90\0".as_slice(), Err("不支持")),
                ("没有扩展名", PDF, Err("不支持")),
                ("动图.gif", b"GIF89a".as_slice(), Err("不支持")),
            ] {
                match (store.store(&t.db, 0, &upload(name, bytes, 1, &a)).await, expect) {
                    (Ok(att), Ok(mime)) => assert_eq!(att.mime, mime, "{name}"),
                    (Err(e), Err(fragment)) => {
                        assert_eq!(e.code, "attachment.type", "{name}");
                        assert!(e.message.contains(fragment), "{name}: {}", e.message);
                    }
                    (got, want) => panic!("{name} on {}: got {got:?}, want {want:?}", t.name),
                }
            }
        }
    }

    #[tokio::test]
    async fn attachments_path_traversal_names_are_cleaned() {
        for t in testing::all().await.unwrap() {
            let dir = tempfile::tempdir().unwrap();
            let store = AttachmentStore::new(dir.path().join("data"), MIB);
            let a = actor();
            let stored = store.store(&t.db, 0, &upload("../../../etc/passwd.pdf", PDF, 1, &a)).await.unwrap();
            assert_eq!(stored.filename, "passwd.pdf");
            let windows = store.store(&t.db, 0, &upload("C:\\Users\\张三\\..\\证据.pdf", PDF, 1, &a)).await.unwrap();
            assert_eq!(windows.filename, "证据.pdf");
            let e = store.store(&t.db, 0, &upload("..\\..\\boot.ini", b"[boot]\n", 1, &a)).await.unwrap_err();
            assert_eq!(e.code, "attachment.type", "{}", t.name);
            // Nothing was written outside the attachments directory.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
            assert_eq!(files_under(&dir.path().join("data").join("attachments")), 1);
        }
        assert_eq!(sanitize_filename("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(sanitize_filename("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(sanitize_filename("  ..hidden.txt. "), "hidden.txt");
        assert_eq!(sanitize_filename("a<b>:c?.txt"), "a_b__c_.txt");
        assert_eq!(sanitize_filename("../.."), "未命名");
        assert_eq!(sanitize_filename("dir/"), "未命名");
        let long = format!("{}.docx", "长".repeat(200));
        let cut = sanitize_filename(&long);
        assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
        assert!(cut.ends_with("长.docx"), "{cut}");
    }
}
