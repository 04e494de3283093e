//! Bad input never panics: real corpus files cut short, with a range deleted, or with bytes
//! replaced, must come back from the parsers as `Ok` or as an `Err` naming the file — never as a
//! panic (which proptest would report with the shrunk input). The real files come from the
//! OpenSAF source tree that `SMFCHECK_OPENSAF` names; without it those tests report themselves
//! skipped.

use super::support::opensaf;
use proptest::prelude::*;
use smfcheck::xml::campaign::parse_campaign_str;
use smfcheck::xml::imm::parse_imm_str;
use std::collections::BTreeMap;
use std::path::Path;

fn text(os: &Path, rel: &str) -> String {
    std::fs::read_to_string(os.join(rel)).unwrap()
}

/// Damage `t`: cut it at `a`, delete `a..b`, or overwrite at `a` with `junk` (char-boundary safe).
fn damage(t: &str, how: u8, a: usize, b: usize, junk: &str) -> String {
    let fix = |i: usize| {
        let mut i = i % (t.len() + 1);
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (fix(a), fix(b));
    let (a, b) = (a.min(b), a.max(b));
    match how % 3 {
        0 => t[..a].to_string(),
        1 => format!("{}{}", &t[..a], &t[b..]),
        _ => format!("{}{}{}", &t[..a], junk, &t[a..]),
    }
}

/// Damaged copies of three corpus campaigns parse or fail naming the file.
#[test]
fn damaged_campaigns_are_errors_not_panics() {
    let Some(os) = opensaf() else { return };
    let texts: BTreeMap<&str, String> = [
        "samples/smfsv/campaigns/campaign_rolling_comp.xml",
        "samples/smfsv/campaigns/campaign_single_comp.xml",
        "samples/smfsv/campaigns/campaign_TestRollback.xml",
    ]
    .into_iter()
    .map(|f| (f, text(&os, f)))
    .collect();
    let files: Vec<&'static str> = texts.keys().copied().collect();
    proptest!(ProptestConfig { cases: 200, .. ProptestConfig::default() }, |(
        file in prop::sample::select(files),
        how in any::<u8>(), a in any::<usize>(), b in any::<usize>(),
        junk in prop::sample::select(vec!["<", ">", "\"", "<upgradeStep/>", "</upgradeProcedure>", "saSmfExecLevel=\"-1\"", "&amp", "\u{0}", "é"]),
    )| {
        let t = damage(&texts[file], how, a, b, junk);
        if let Err(e) = parse_campaign_str("damaged.xml", &t) {
            prop_assert!(e.to_string().starts_with("damaged.xml"), "{e}");
        }
    });
}

/// Damaged copies of a corpus IMM file parse or fail naming the file.
#[test]
fn damaged_imm_files_are_errors_not_panics() {
    let Some(os) = opensaf() else { return };
    let imm = text(&os, "samples/amf/sa_aware/AppConfig-2N.xml");
    proptest!(ProptestConfig { cases: 200, .. ProptestConfig::default() }, |(
        how in any::<u8>(), a in any::<usize>(), b in any::<usize>(),
        junk in prop::sample::select(vec!["<", ">", "<attr>", "</object>", "<dn></dn>", "&", "\u{0}"]),
    )| {
        let t = damage(&imm, how, a, b, junk);
        if let Err(e) = parse_imm_str("damaged.xml", &t) {
            prop_assert!(e.to_string().starts_with("damaged.xml"), "{e}");
        }
    });
}

/// XML 1.0 forbids `--` inside a comment; immcfg and xmllint refuse such files, so do we.
#[test]
fn double_hyphen_in_a_comment_is_not_well_formed() {
    let t = "<?xml version=\"1.0\"?>\n<upgradeCampaign safSmfCampaign=\"safSmfCampaign=x\">\n<!-- a -- b -->\n</upgradeCampaign>";
    let e = parse_campaign_str("c.xml", t).unwrap_err().to_string();
    assert!(e.starts_with("c.xml:3:"), "{e}");
    assert!(e.contains("`--` inside a comment"), "{e}");
    let e = parse_imm_str(
        "i.xml",
        "<imm:IMM-contents xmlns:imm=\"x\">\n<!-- -- -->\n</imm:IMM-contents>",
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("i.xml:2:"), "{e}");
}
