use std::path::PathBuf;

use tantivy::TantivyError;
use tantivy::directory::error::LockError;

/// Errors of the search index. User-supplied query text never produces one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The index directory could not be created or read.
    #[error("无法访问检索索引目录 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The index on disk was written with a different schema.
    #[error("检索索引 {0} 的结构与当前版本不一致，请运行 `qingfeng reindex` 重建索引")]
    SchemaMismatch(PathBuf),
    /// Another process (or another `SearchIndex`) holds the index writer lock.
    #[error("检索索引正被其他进程占用，请确认没有重复启动的服务")]
    Locked,
    /// A document cannot be indexed (empty kind or id, `:` in kind).
    #[error("检索文档无效：{0}")]
    InvalidDoc(String),
    /// Any other failure inside the search engine.
    #[error("检索引擎内部错误：{0}")]
    Engine(#[source] TantivyError),
}

impl SearchError {
    /// Stable machine-readable code, e.g. `search.schema_mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } | Self::Engine(TantivyError::IoError(_)) => "search.io",
            Self::SchemaMismatch(_) => "search.schema_mismatch",
            Self::Locked => "search.locked",
            Self::InvalidDoc(_) => "search.invalid_doc",
            Self::Engine(_) => "search.engine",
        }
    }
}

impl From<TantivyError> for SearchError {
    fn from(err: TantivyError) -> Self {
        match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => Self::Locked,
            other => Self::Engine(other),
        }
    }
}
