//! Errors that end a run with exit code 2 (bad input or usage). Each names what was wrong and
//! where; none is a panic.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("--step: {0}")]
    Embed(#[from] crate::step::embed::EmbedError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: unknown property `{name}`; available: {known}")]
    UnknownProperty {
        file: String,
        line: usize,
        name: String,
        known: String,
    },
}
