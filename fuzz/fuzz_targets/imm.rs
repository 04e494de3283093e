//! Fuzz target: the IMM reader and the merge (duplicate and parent checks). Any input must come
//! back as `Ok` or as an error naming the file — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smfcheck::xml::{
    imm::{merge, parse_imm_str},
    position::decode,
};

fuzz_target!(|data: &[u8]| {
    let text = match decode("fuzz.xml", data.to_vec()) {
        Ok(text) => text,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.xml"), "{e}");
            return;
        }
    };
    match parse_imm_str("fuzz.xml", &text) {
        Ok(file) => {
            if let Err(e) = merge(&[file]) {
                assert!(e.to_string().starts_with("fuzz.xml"), "{e}");
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.xml"), "{e}"),
    }
});
