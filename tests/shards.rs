//! `check --shard I/N` and `smfcheck merge`: N shards run as separate processes (as N CI jobs
//! would), merged, give the verdicts, exit code and shortest trace lengths of the unsharded run;
//! an incomplete or inconsistent set of shards is refused.

use super::support::{claim_verdicts, models, scratch, smfcheck_in};

/// (verdict, trace length) per property of a JSON report, and its exit code.
fn verdicts(json: &str) -> (Vec<(String, String, Option<u64>)>, u64) {
    let (props, v) = claim_verdicts(json);
    (props, v["exit_code"].as_u64().unwrap())
}

fn sharded_equals_unsharded(folder: &str, args: &[&str], n: u32, want_exit: i32) {
    let dir = models(folder);
    let out = scratch(&format!("shards-{}", folder.replace('/', "-")));
    let mut base: Vec<&str> = vec!["check"];
    base.extend_from_slice(args);
    base.extend_from_slice(&["--format", "json"]);
    let (code, whole, err) = smfcheck_in(&dir, &base);
    assert_eq!(code, want_exit, "{err}");
    let mut files = Vec::new();
    for i in 1..=n {
        let shard = format!("{i}/{n}");
        let mut a = base.clone();
        a.extend_from_slice(&["--shard", &shard]);
        let (_, json, err) = smfcheck_in(&dir, &a);
        assert!(err.is_empty() || !err.contains("panicked"), "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["shard"]["index"], i, "{json}");
        assert_eq!(v["shard"]["count"], n, "{json}");
        let f = out.join(format!("s{i}.json"));
        std::fs::write(&f, json).unwrap();
        files.push(f.display().to_string());
    }
    let mut m: Vec<&str> = vec!["merge", "--format", "json"];
    m.extend(files.iter().map(String::as_str));
    let (code, merged, err) = smfcheck_in(&dir, &m);
    assert_eq!(code, want_exit, "{err}{merged}");
    assert_eq!(verdicts(&merged), verdicts(&whole), "{merged}");
    let v: serde_json::Value = serde_json::from_str(&merged).unwrap();
    assert!(v["shard"].is_null());
    // The text form says what the counts mean.
    let mut t: Vec<&str> = vec!["merge"];
    t.extend(files.iter().map(String::as_str));
    let (code, text, _) = smfcheck_in(&dir, &t);
    assert_eq!(code, want_exit);
    assert!(text.contains(&format!("merged from {n} shards")), "{text}");
    assert!(text.contains("counted in each"), "{text}");
    // Without shard 2 there is no verdict.
    let mut partial: Vec<&str> = vec!["merge"];
    partial.extend(
        files
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != 1)
            .map(|(_, f)| f.as_str()),
    );
    let (code, _, err) = smfcheck_in(&dir, &partial);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("shard 2/{n} missing")), "{err}");
    // One shard twice.
    let mut twice: Vec<&str> = vec!["merge"];
    twice.extend(files.iter().map(String::as_str));
    twice.push(files[0].as_str());
    let (code, _, err) = smfcheck_in(&dir, &twice);
    assert_eq!(code, 2);
    assert!(err.contains("given twice"), "{err}");
}

/// A violated campaign whose VMs may start on several sponsors (vm-vmm, §5.1): the shards
/// together find the same violations with the same shortest counterexamples.
#[test]
fn sharded_violations_merge_to_the_unsharded_verdicts() {
    sharded_equals_unsharded(
        "vm-vmm",
        &[
            "broken-uncaught.xml",
            "--config",
            "source.xml",
            "--compat",
            "compat.xml",
        ],
        3,
        1,
    );
}

/// The thesis case study (64 initial placements), verified: verified when merged.
#[test]
fn sharded_verification_merges_to_verified() {
    sharded_equals_unsharded(
        "thesis-case-study",
        &[
            "expected-campaign.xml",
            "--config",
            "source.xml",
            "--compat",
            "compat.xml",
        ],
        3,
        0,
    );
}

/// `--shard` takes I/N with 1 ≤ I ≤ N ≤ 4096; `merge` takes only sharded JSON reports.
#[test]
fn bad_shards_are_usage_errors() {
    let dir = models("vm-vmm");
    for bad in ["0/3", "4/3", "x", "1/5000", "2"] {
        let (code, _, err) = smfcheck_in(
            &dir,
            &[
                "check",
                "campaign.xml",
                "--config",
                "source.xml",
                "--shard",
                bad,
            ],
        );
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("is not I/N"), "{bad}: {err}");
    }
    let out = scratch("shards-bad");
    let (_, json, _) = smfcheck_in(
        &dir,
        &[
            "check",
            "campaign.xml",
            "--config",
            "source.xml",
            "--compat",
            "compat.xml",
            "--format",
            "json",
        ],
    );
    let f = out.join("whole.json");
    std::fs::write(&f, json).unwrap();
    let (code, _, err) = smfcheck_in(&dir, &["merge", f.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a report of `check --shard I/N`"), "{err}");
    let t = out.join("text.txt");
    std::fs::write(&t, "property verdict\n").unwrap();
    let (code, _, err) = smfcheck_in(&dir, &["merge", t.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(!err.contains("panicked"), "{err}");
}
