//! Reading a multipart upload form: the file is streamed to a temporary
//! file and refused as soon as it passes the deployment's limit, so a huge
//! upload is never held in memory; the small text fields beside it (CSRF
//! token, choices) are capped too, since these routes sit outside the
//! pages' 1 MiB body limit ([`uploads`](crate::uploads)).

use std::io::Write;

use axum::extract::Multipart;
use axum::http::StatusCode;

use crate::texts::Texts;

/// The longest text field an upload form may carry.
const MAX_TEXT_FIELD: usize = 4096;

/// An upload form as received.
pub(crate) struct Upload {
    /// The text fields, by name.
    fields: Vec<(String, String)>,
    /// The file's name as the browser sent it.
    pub filename: Option<String>,
    /// The file (field `file`), on disk, and its length.
    pub file: Option<(tempfile::NamedTempFile, u64)>,
    /// Further files of the same field, in order, for forms that take
    /// several (fingerprint impressions).
    pub more_files: Vec<(tempfile::NamedTempFile, u64)>,
}

impl Upload {
    /// A text field's value (empty when absent).
    pub fn field(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }
}

/// Why an upload stopped before its content was read.
pub(crate) enum UploadStop {
    /// The file passed the limit.
    TooLarge,
    /// The form was cut or malformed.
    Unreadable,
}

impl UploadStop {
    /// The answer's status and what the page says, for a limit of `limit`
    /// bytes.
    pub fn answer(&self, t: &Texts, limit: u64) -> (StatusCode, String) {
        match self {
            UploadStop::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, format!("{} {} MiB.", t.rd_too_large, limit >> 20)),
            UploadStop::Unreadable => (StatusCode::BAD_REQUEST, t.rd_unreadable.to_owned()),
        }
    }
}

/// Reads the form, the fields named `file` to disk and stopping as soon as
/// together they pass `limit` bytes.
pub(crate) async fn read_upload(mut multipart: Multipart, limit: u64) -> Result<Upload, UploadStop> {
    let mut upload = Upload { fields: Vec::new(), filename: None, file: None, more_files: Vec::new() };
    let mut total = 0_u64;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| UploadStop::Unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let name = field.file_name().map(str::to_owned).filter(|n| !n.is_empty());
            let mut file = tempfile::NamedTempFile::new().map_err(|_| UploadStop::Unreadable)?;
            let mut length = 0_u64;
            while let Some(chunk) = field.chunk().await.map_err(|_| UploadStop::Unreadable)? {
                length += chunk.len() as u64;
                total += chunk.len() as u64;
                if total > limit {
                    return Err(UploadStop::TooLarge);
                }
                file.write_all(&chunk).map_err(|_| UploadStop::Unreadable)?;
            }
            if upload.file.is_none() {
                upload.filename = name;
                upload.file = Some((file, length));
            } else if length > 0 {
                upload.more_files.push((file, length));
            }
            continue;
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| UploadStop::Unreadable)? {
            if value.len() + chunk.len() > MAX_TEXT_FIELD {
                return Err(UploadStop::Unreadable);
            }
            value.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(value).map_err(|_| UploadStop::Unreadable)?;
        upload.fields.push((name, value));
    }
    Ok(upload)
}
