//! 上传 A `multipart/form-data` form with one file, read whole: the text fields by name,
//! the file's name and bytes. A broken body is a Chinese error with a code, never a 500.
//! The body size is capped by the server's upload limit (`max_upload_mib`).

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;

use crate::error::AppError;

/// What an upload form sent.
#[derive(Debug, Default)]
pub struct Upload {
    fields: HashMap<String, String>,
    /// The name of the file field `file` as the browser gave it.
    pub file_name: String,
    /// The file's type as the browser declared it (checked again by the attachment store).
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// A text field (empty when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
    /// A checkbox: sent and not empty.
    pub fn checked(&self, name: &str) -> bool {
        !self.field(name).is_empty()
    }
}

/// Read the form: the field named `file` is the file, every other field text.
pub async fn read(mut mp: Multipart) -> Result<Upload, AppError> {
    let bad = |e: MultipartError| AppError::bad_request("request.form", format!("上传内容有误（{}）", e.body_text()));
    let mut up = Upload::default();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            up.file_name = field.file_name().unwrap_or("").to_string();
            up.content_type = field.content_type().unwrap_or("").to_string();
            up.bytes = field.bytes().await.map_err(bad)?.to_vec();
        } else {
            let text = field.text().await.map_err(bad)?;
            up.fields.insert(name, text);
        }
    }
    Ok(up)
}
