//! Fuzz target: the property-set reader (`--properties FILE`, src/properties.rs
//! `read_selection_from`, which reads a path: each input is written to a scratch file first).
//! Any input must come back as a selection or as an error naming the file — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smfcheck::properties::{campaign_names, read_selection_from};
use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("smfcheck-fuzz-{}.props", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).unwrap();
    let known = campaign_names();
    if let Err(e) = read_selection_from(path, &known) {
        assert!(e.to_string().contains(&*path.to_string_lossy()), "{e}");
    }
});
