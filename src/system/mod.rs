//! The system an upgrade campaign runs on (thesis §2.3–2.5, §2.7, §5; docs/semantics.md §7–§11): the typed
//! configuration read from IMM ([`config`]). The runtime state and its availability semantics come
//! with the campaign model.

pub mod config;
pub mod state;
