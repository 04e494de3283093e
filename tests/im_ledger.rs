//! The IMM ledger (`smfcheck::campaign::im`): every object a campaign's custom actions,
//! `addToImm` and `removeFromImm` touch is compared after commit (with the target) and after
//! rollback (with the configuration), the difference named by object and attribute; CCBs IMM
//! would refuse before commit are refused as genuine inconsistencies; a seeded defect that leaves
//! a CCB's object behind after rollback is caught. Variants of
//! `models/soundness/custom-actions/rolling.xml` (VLC on the §2.7 cluster, whose campaign
//! initialization creates an `SaAmfSutCompType` by CCB).

use super::support::{models, scratch, smfcheck_in};
use smfcheck::campaign::im::Ledger;
use smfcheck::campaign::model::CampMutant;
use smfcheck::check::{Checked, Limits, Verdict, explore};
use smfcheck::cli::{CheckArgs, build_campaign};
use smfcheck::properties::campaign_registry;
use smfcheck::xml::campaign::parse_campaign_str;
use smfcheck::xml::imm::{Imm, merge, parse_imm_str};
use std::path::PathBuf;

fn dir() -> PathBuf {
    models("soundness/custom-actions")
}

fn text(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn config() -> Imm {
    merge(&[parse_imm_str("config.xml", &text("config.xml")).unwrap()]).unwrap()
}

/// `rolling.xml` with `action` (a `procInitAction`) before its upgrade method.
fn with_proc_init(action: &str) -> String {
    let base = text("rolling.xml");
    let anchor = "<upgradeMethod>";
    assert!(base.contains(anchor));
    base.replacen(anchor, &format!("{action}\n    {anchor}"), 1)
}

const AUTO_REPAIR_0: &str = r#"<procInitAction><immCCB ccbFlags="0"><modify objectDN="safSg=VLC,safApp=VLC" operation="SA_IMM_ATTR_VALUES_REPLACE"><attribute name="saAmfSGAutoRepair" type="SA_IMM_ATTR_SAUINT32T"><value>0</value></attribute></modify></immCCB></procInitAction>"#;

/// After commit the ledger holds every change; against a target it names the attribute that
/// differs, and against the configuration every object and attribute the campaign changed.
#[test]
fn committed_changes_are_compared_with_the_target_by_object_and_attribute() {
    let c = parse_campaign_str("c.xml", &with_proc_init(AUTO_REPAIR_0)).unwrap();
    let l = Ledger::build(&c, Some(&config())).unwrap();
    assert_eq!(
        l.bits(),
        2,
        "campaign initialization and the procedure's init"
    );
    // Committed: addToImm's bundle and type, the initialization's CCB, the procedure's CCB, and
    // the wrap-up's removeFromImm and CCB deleting the old type and bundle.
    let from_source = l.diff_from_source(l.all(), true);
    for line in [
        "IMM `safMemberCompType=safVersion=1.1.0\\,safCompType=VLC,safVersion=1,safSuType=VLC`: exists (SaAmfSutCompType), not before the campaign (attribute saAmfSutMaxNumComponents = [1])",
        "IMM `safSg=VLC,safApp=VLC`: attribute saAmfSGAutoRepair is [0], [1] before the campaign",
        "IMM `safSmfBundle=VLC110`: exists (SaSmfSwBundle), not before the campaign",
        "IMM `safSmfBundle=VLC100`: missing (SaSmfSwBundle), present before the campaign",
        "IMM `safVersion=1.0.0,safCompType=VLC`: missing (SaAmfCompType), present before the campaign",
    ] {
        assert!(
            from_source.iter().any(|l| l == line),
            "{line} not in {from_source:#?}"
        );
    }
    assert_eq!(from_source.len(), 8, "{from_source:#?}");
    // Before commit (every point applied): the wrap-up's deletions are not there yet.
    assert_eq!(l.diff_from_source(l.all(), false).len(), 4);
    // Nothing applied, nothing differs; the procedure's init undone, only the type remains.
    assert!(l.diff_from_source(0, false).is_empty());
    assert_eq!(l.diff_from_source(1, false).len(), 3);
    // The configuration itself as the target: every change differs from it, each named with
    // the target's wording.
    let t = text("config.xml");
    let target = merge(&[parse_imm_str("t.xml", &t).unwrap()]).unwrap();
    let to_target = l.diff_from_target(l.all(), &l.target_view(&target));
    assert_eq!(to_target.len(), 8, "{to_target:#?}");
    assert!(
        to_target.contains(
            &"IMM `safSg=VLC,safApp=VLC`: attribute saAmfSGAutoRepair is [0], [1] in the target"
                .to_string()
        )
    );
    // A target with auto-repair off agrees on that attribute.
    let t0 = t.replacen(
        "<name>saAmfSGAutoRepair</name>\n      <value>1</value>",
        "<name>saAmfSGAutoRepair</name>\n      <value>0</value>",
        1,
    );
    assert_ne!(
        t0, t,
        "the configuration spells saAmfSGAutoRepair as expected"
    );
    let target0 = merge(&[parse_imm_str("t0.xml", &t0).unwrap()]).unwrap();
    let agreed = l.diff_from_target(l.all(), &l.target_view(&target0));
    assert_eq!(agreed.len(), 7, "{agreed:#?}");
    assert!(!agreed.iter().any(|d| d.contains("saAmfSGAutoRepair")));
    // A target that describes no SaAmfSutCompType says nothing about them.
    let no_sutcomp: String = {
        let mut out = String::new();
        let mut skip = false;
        for line in t0.lines() {
            if line.contains(r#"<object class="SaAmfSutCompType">"#) {
                skip = true;
            }
            if !skip {
                out.push_str(line);
                out.push('\n');
            }
            if skip && line.contains("</object>") {
                skip = false;
            }
        }
        out
    };
    let target1 = merge(&[parse_imm_str("t1.xml", &no_sutcomp).unwrap()]).unwrap();
    let fewer = l.diff_from_target(l.all(), &l.target_view(&target1));
    assert_eq!(fewer.len(), 5, "{fewer:#?}");
    assert!(!fewer.iter().any(|d| d.contains("SaAmfSutCompType")));
    // Without the procedure's changes the committed IM misses them.
    assert_eq!(l.diff_from_target(1, &l.target_view(&target0)).len(), 8);
}

/// Two procedures of one execution level run in parallel: both changing one object would make
/// the result depend on their interleaving — refused as not supported yet.
#[test]
fn parallel_procedures_changing_one_object_are_refused() {
    let one = with_proc_init(AUTO_REPAIR_0);
    let start = one.find("<upgradeProcedure").unwrap();
    let end = one.find("</upgradeProcedure>").unwrap() + "</upgradeProcedure>".len();
    let second = one[start..end].replace("safSmfProc=RollingVlc", "safSmfProc=RollingVlc2");
    let two = format!("{}\n  {second}{}", &one[..end], &one[end..]);
    let c = parse_campaign_str("c.xml", &two).unwrap();
    let e = Ledger::build(&c, Some(&config())).unwrap_err().to_string();
    assert!(
        e.contains("procedures safSmfProc=RollingVlc2 and safSmfProc=RollingVlc run in parallel")
            || e.contains(
                "procedures safSmfProc=RollingVlc and safSmfProc=RollingVlc2 run in parallel"
            ),
        "{e}"
    );
    assert!(e.contains("both change `safSg=VLC,safApp=VLC`"), "{e}");
    assert!(e.contains("not supported yet"), "{e}");
}

/// A CCB IMM refuses before commit stops the campaign in Execution Failed on every run: exit 2
/// naming the CCB's line, the object and IMM's error.
#[test]
fn ccbs_imm_refuses_are_genuine_inconsistencies() {
    let scratch = scratch("im-ledger");
    for name in ["config.xml", "compat.xml"] {
        std::fs::copy(dir().join(name), scratch.join(name)).unwrap();
    }
    let create = r#"<immCCB ccbFlags="0"><create objectClassName="OpensafSmfTest" parentObjectDN="safApp=VLC"><attribute name="testRdn" type="SA_IMM_ATTR_SASTRINGT"><value>testRdn=x</value></attribute></create></immCCB>"#;
    let cases = [
        (
            r#"<procInitAction><immCCB ccbFlags="0"><modify objectDN="safSg=NoSuch,safApp=VLC" operation="SA_IMM_ATTR_VALUES_REPLACE"><attribute name="saAmfSGAutoRepair" type="SA_IMM_ATTR_SAUINT32T"><value>0</value></attribute></modify></immCCB></procInitAction>"#.to_string(),
            "the procInitAction of safSmfProc=RollingVlc modifies `safSg=NoSuch,safApp=VLC`, which does not exist then (IMM refuses the CCB: SA_AIS_ERR_NOT_EXIST)",
        ),
        (
            r#"<procInitAction><immCCB ccbFlags="0"><delete objectDN="testRdn=gone,safApp=VLC"/></immCCB></procInitAction>"#.to_string(),
            "deletes `testRdn=gone,safApp=VLC`, which does not exist then",
        ),
        (
            format!("<procInitAction>{create}</procInitAction><procInitAction>{create}</procInitAction>"),
            "creates `testRdn=x,safApp=VLC`, which already exists (IMM refuses the CCB: SA_AIS_ERR_EXIST)",
        ),
    ];
    for (action, message) in cases {
        let text = with_proc_init(&action);
        std::fs::write(scratch.join("c.xml"), &text).unwrap();
        let (code, out, err) = smfcheck_in(
            &scratch,
            &[
                "check",
                "c.xml",
                "--config",
                "config.xml",
                "--compat",
                "compat.xml",
            ],
        );
        assert_eq!(code, 2, "{message}: {out}{err}");
        assert!(err.contains(message), "{message}: {err}");
        assert!(err.contains("element `immCCB`"), "{err}");
        assert!(err.contains("Execution Failed on every run"), "{err}");
        assert!(!err.contains("panicked"));
    }
    // A create whose DN cannot be told is refused, never dropped.
    let no_rdn = with_proc_init(
        r#"<procInitAction><immCCB ccbFlags="0"><create objectClassName="OpensafSmfTest" parentObjectDN="safApp=VLC"><attribute name="other" type="SA_IMM_ATTR_SASTRINGT"><value>x</value></attribute></create></immCCB></procInitAction>"#,
    );
    std::fs::write(scratch.join("n.xml"), &no_rdn).unwrap();
    let (code, _, err) = smfcheck_in(
        &scratch,
        &[
            "check",
            "n.xml",
            "--config",
            "config.xml",
            "--compat",
            "compat.xml",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("element `create`"), "{err}");
    assert!(err.contains("without an RDN attribute"), "{err}");
    assert!(err.contains("not supported yet"), "{err}");
    // At commit a refused CCB is logged by smfd and the campaign committed: no refusal.
    let wrapup = text("rolling.xml").replacen(
        "<campWrapupAction>",
        r#"<campWrapupAction><immCCB ccbFlags="0"><delete objectDN="testRdn=gone,safApp=VLC"/></immCCB></campWrapupAction><campWrapupAction>"#,
        1,
    );
    assert!(
        wrapup.contains("testRdn=gone"),
        "rolling.xml has a campWrapupAction"
    );
    std::fs::write(scratch.join("w.xml"), &wrapup).unwrap();
    let (code, out, err) = smfcheck_in(
        &scratch,
        &[
            "check",
            "w.xml",
            "--config",
            "config.xml",
            "--compat",
            "compat.xml",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
}

/// A rollback that leaves a CCB's object behind (a seeded defect: the undo of the campaign
/// initialization keeps its IMM changes) violates `rollback-restores-source`, and the
/// counterexample's end state names the object.
#[test]
fn an_object_left_behind_by_rollback_is_caught_and_named() {
    let a = CheckArgs {
        campaign: dir().join("rolling.xml"),
        config: vec![dir().join("config.xml")],
        compat: Some(dir().join("compat.xml")),
        faults: 0,
        default_max_retry: 1,
        ..CheckArgs::default()
    };
    let claim = "rollback-restores-source";
    let run = |seed: bool| {
        let mut m = build_campaign(&a).unwrap();
        if seed {
            m.seed(CampMutant::CcbUndoSkipped);
        }
        let claims: Vec<_> = campaign_registry()
            .into_iter()
            .filter(|e| e.name == claim)
            .collect();
        let o = explore(&m, &claims, &Limits::default());
        let r = &o.results[0];
        let end = r
            .trace
            .as_ref()
            .map(|t| m.summary(t.states.last().unwrap()));
        (r.verdict, end)
    };
    assert_eq!(run(false).0, Verdict::Verified);
    let (v, end) = run(true);
    assert_eq!(v, Verdict::Violated);
    let end = end.expect("a counterexample");
    assert!(end.contains("campaign: RollbackCommitted"), "{end}");
    assert!(
        end.contains("IMM `safMemberCompType=safVersion=1.1.0\\,safCompType=VLC,safVersion=1,safSuType=VLC`: exists (SaAmfSutCompType), not before the campaign"),
        "{end}"
    );
}
