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
    /// A configuration is inconsistent: a dangling reference, a missing or malformed attribute.
    #[error("{origin}: {message}")]
    Config { origin: String, message: String },
    /// An input XML file is malformed, violates its schema, or holds a value smfcheck cannot
    /// use; `element` names the element when there is one.
    #[error("{file}:{line}: {}{message}", element_prefix(.element))]
    Xml {
        file: String,
        line: usize,
        element: Option<String>,
        message: String,
    },
    /// Two IMM files define the same object (locations are `file:line`).
    #[error("{second}: IMM object `{dn}` is already defined at {first}")]
    DuplicateDn {
        dn: String,
        first: String,
        second: String,
    },
    /// Two IMM files define the same class (locations are `file:line`).
    #[error("{second}: IMM class `{name}` is already defined at {first}")]
    DuplicateClass {
        name: String,
        first: String,
        second: String,
    },
    /// Merging IMM files the way immcfg imports them met a definition immcfg refuses: an object
    /// of another class under an existing DN, or a class that differs from the loaded one.
    #[error("{second}: {message} (first defined at {first})")]
    ImmConflict {
        message: String,
        first: String,
        second: String,
    },
    /// A saved trace (`--trace-out`) cannot be read or does not fit its schema.
    #[error("{path}: {message}")]
    TraceFile { path: String, message: String },
}

fn element_prefix(element: &Option<String>) -> String {
    element
        .as_ref()
        .map(|e| format!("element `{e}`: "))
        .unwrap_or_default()
}
