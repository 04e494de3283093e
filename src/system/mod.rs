//! The system an upgrade campaign runs on (thesis §2.3–2.5, §2.7, §5; domain.md §6): the typed
//! configuration read from IMM ([`config`]). The runtime state and its availability semantics come
//! with the campaign model.

pub mod config;
pub mod state;
