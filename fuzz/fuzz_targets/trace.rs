//! Fuzz target: the saved-trace reader (`smfcheck replay`, src/tracefile.rs `parse`). Any input
//! must come back as a trace or as an error naming the file — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smfcheck::tracefile::parse;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = parse("fuzz.json", data) {
        assert!(e.to_string().starts_with("fuzz.json"), "{e}");
    }
});
