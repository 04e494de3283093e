//! Fuzz target: the campaign reader (decoding, well-formedness, schema pass, serde, conversion).
//! Any input must come back as `Ok` or as an error naming the file — never a panic, a hang or a
//! stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smfcheck::xml::{campaign::parse_campaign_str, position::decode};

fuzz_target!(|data: &[u8]| {
    let text = match decode("fuzz.xml", data.to_vec()) {
        Ok(text) => text,
        Err(e) => {
            assert!(e.to_string().starts_with("fuzz.xml"), "{e}");
            return;
        }
    };
    if let Err(e) = parse_campaign_str("fuzz.xml", &text) {
        assert!(e.to_string().starts_with("fuzz.xml"), "{e}");
    }
});
