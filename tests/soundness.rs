//! The soundness models (`models/soundness/`, verdicts derived from the thesis and the UCS
//! schema) beyond the verdicts and counts of their README table (runs of each folder's
//! `expect.json`, tests/manifests.rs): where a violation is first caught, each seeded defect of
//! the system semantics killed on the model it concerns, what the model cannot follow refused
//! with exit 2, the schema's every name treated, and the administrator's suspensions and
//! retries changing no verdict.

use super::support::manifest::runs;
use super::support::{models, scratch, smfcheck_in};
use smfcheck::campaign::model::{CampMutant, CampaignModel};
use smfcheck::check::{Limits, Verdict, explore};
use smfcheck::cli::{CheckArgs, build_campaign};
use smfcheck::properties::campaign_registry;
use std::path::PathBuf;

fn dir() -> PathBuf {
    models("soundness")
}

/// `check CAMPAIGN --config CONFIG --compat COMPAT --faults 0` of the folder `folder`.
fn args(folder: &str, campaign: &str, config: &str, compat: &str) -> CheckArgs {
    let d = dir().join(folder);
    CheckArgs {
        campaign: d.join(campaign),
        config: vec![d.join(config)],
        compat: Some(d.join(compat)),
        faults: 0,
        default_max_retry: 1,
        ..CheckArgs::default()
    }
}

fn verdicts(m: &CampaignModel) -> (Vec<(&'static str, Verdict)>, usize) {
    let claims: Vec<_> = campaign_registry()
        .into_iter()
        .filter(|e| smfcheck::cli::DEFAULT_CAMPAIGN_CLAIMS.contains(&e.name))
        .collect();
    let o = explore(m, &claims, &Limits::default());
    (
        o.results.iter().map(|r| (r.name, r.verdict)).collect(),
        o.stats.unique_states,
    )
}

fn verdict(v: &[(&'static str, Verdict)], claim: &str) -> Verdict {
    v.iter()
        .find(|(n, _)| *n == claim)
        .unwrap_or_else(|| panic!("{claim} not checked"))
        .1
}

/// The base-type rule needs no compatibility entry: the first violation of `normal.xml` is the
/// online install of the Windows image on the running Ubuntu, in the tear-down (§3.2.2), not the
/// later uninstall of VLC 1.0.0 that the compatibility entries forbid.
#[test]
fn base_type_change_is_caught_at_the_image_install() {
    let (code, out, _) = smfcheck_in(
        dir().join("base-type"),
        &[
            "check",
            "normal.xml",
            "--config",
            "config.xml",
            "--compat",
            "compat.xml",
            "--faults",
            "0",
            "--quiet",
        ],
    );
    assert_eq!(code, 1);
    let trace = out
        .split("counterexample for lower-layer-ready-for-install")
        .nth(1)
        .expect("a counterexample");
    assert!(trace.starts_with(" (3 steps, shortest)"), "{trace}");
    let last = trace.lines().nth(3).unwrap();
    assert!(last.contains("online install new — ok"), "{last}");
}

/// Seeded defects of the system semantics, each killed by its claim on the model it concerns
/// (and the unmutated model verifies that claim there).
#[test]
fn semantic_mutants_are_killed() {
    let cases = [
        (
            CampMutant::InFlightDown,
            args("migration", "upgrade-vmms.xml", "config.xml", "compat.xml"),
            "si-always-available",
        ),
        (
            CampMutant::OutageMaxIgnored,
            args("outage-max", "max1.xml", "config.xml", "compat.xml"),
            "si-always-available",
        ),
        (
            CampMutant::OwnOperationsIgnored,
            args("base-type", "normal.xml", "config.xml", "compat.xml"),
            "lower-layer-ready-for-install",
        ),
        (
            CampMutant::CapacityIgnored,
            args("sg-capacity", "rolling.xml", "config.xml", "compat.xml"),
            "si-always-available",
        ),
        (
            CampMutant::CustomActionsIgnored,
            args(
                "custom-actions",
                "init-locks-su.xml",
                "config.xml",
                "compat.xml",
            ),
            "si-always-available",
        ),
        (
            CampMutant::CcbUndoSkipped,
            args("custom-actions", "rolling.xml", "config.xml", "compat.xml"),
            "rollback-restores-source",
        ),
    ];
    for (mutant, a, claim) in cases {
        let m = build_campaign(&a).unwrap();
        let (base, _) = verdicts(&m);
        let mut bad = build_campaign(&a).unwrap();
        bad.seed(mutant);
        let (seeded, _) = verdicts(&bad);
        assert_ne!(
            verdict(&base, claim),
            verdict(&seeded, claim),
            "{mutant:?} survives {claim} on {}",
            a.campaign.display()
        );
    }
}

/// What the model cannot follow is refused (exit 2, file:line, "not supported yet"), never
/// ignored: variants of `custom-actions/rolling.xml` with one more procedure init action.
#[test]
fn custom_actions_the_model_cannot_follow_are_refused() {
    let base = std::fs::read_to_string(dir().join("custom-actions/rolling.xml")).unwrap();
    let anchor = "<upgradeMethod>";
    assert!(base.contains(anchor));
    let scratch = scratch("custom-actions");
    for name in ["config.xml", "compat.xml"] {
        std::fs::copy(dir().join("custom-actions").join(name), scratch.join(name)).unwrap();
    }
    let cases = [
        (
            r#"<procInitAction><immCCB ccbFlags="0"><create objectClassName="SaAmfComp" parentObjectDN="safSu=SU-1,safSg=VLC,safApp=VLC"><attribute name="safComp" type="SA_IMM_ATTR_SASTRINGT"><value>safComp=Extra</value></attribute></create></immCCB></procInitAction>"#,
            "creates the component `safComp=Extra,safSu=SU-1",
        ),
        (
            r#"<procInitAction><immCCB ccbFlags="0"><create objectClassName="OpensafSmfTest" parentObjectDN="safApp=NoSuchApp"><attribute name="testRdn" type="SA_IMM_ATTR_SASTRINGT"><value>testRdn=x</value></attribute></create></immCCB></procInitAction>"#,
            "under `safApp=NoSuchApp`, which is neither in the configuration nor created by the campaign",
        ),
        (
            r#"<procInitAction><immCCB ccbFlags="0"><create objectClassName="SaAmfNode" parentObjectDN="safAmfCluster=myAmfCluster"><attribute name="safAmfNode" type="SA_IMM_ATTR_SASTRINGT"><value>safAmfNode=Node-9</value></attribute></create></immCCB></procInitAction>"#,
            "creates an object of class SaAmfNode",
        ),
        (
            r#"<procInitAction><immCCB ccbFlags="0"><modify objectDN="safSg=VLC,safApp=VLC" operation="SA_IMM_ATTR_VALUES_REPLACE"><attribute name="saAmfSGMaxActiveSIsperSU" type="SA_IMM_ATTR_SAUINT32T"><value>1</value></attribute></modify></immCCB></procInitAction>"#,
            "changes saAmfSGMaxActiveSIsperSU",
        ),
        (
            r#"<procInitAction><immCCB ccbFlags="0"><delete objectDN="safAmfNode=Node-1,safAmfCluster=myAmfCluster"/></immCCB></procInitAction>"#,
            "removes the node",
        ),
        (
            r#"<procInitAction><doAdminOperation objectDN="safSi=SI-1,safApp=VLC" operationID="SA_AMF_ADMIN_SI_SWAP"/><undoAdminOperation objectDN="safSi=SI-1,safApp=VLC" operationID="SA_AMF_ADMIN_SI_SWAP"/></procInitAction>"#,
            "admin operation SA_AMF_ADMIN_SI_SWAP",
        ),
        (
            r#"<procInitAction><doAdminOperation objectDN="safSu=SU-7,safSg=VLC,safApp=VLC" operationID="SA_AMF_ADMIN_LOCK"/><undoAdminOperation objectDN="safSu=SU-7,safSg=VLC,safApp=VLC" operationID="SA_AMF_ADMIN_UNLOCK"/></procInitAction>"#,
            "not an SU, SI, SG, application or AMF node",
        ),
    ];
    for (action, message) in cases {
        let text = base.replacen(anchor, &format!("{action}\n    {anchor}"), 1);
        let line = text[..text.find(action).unwrap()].lines().count();
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
        assert!(err.contains(&format!("c.xml:{line}")), "{message}: {err}");
        assert!(!err.contains("panicked"));
    }
}

/// Every element and attribute name of the UCS schema has a treatment in
/// `smfcheck::campaign::coverage` (modelled, no effect with the reason, or modelled in part and
/// refused otherwise), and the table names nothing the schema lacks (except the thesis's two
/// extension attributes). Reads the schema from the OpenSAF tree (`SMFCHECK_OPENSAF`).
#[test]
fn every_schema_name_has_a_treatment() {
    use smfcheck::campaign::coverage::{UCS, treatment};
    let Some(os) = super::support::opensaf() else {
        return;
    };
    let xsd =
        std::fs::read_to_string(os.join("src/smf/config/SAI-AIS-SMF-UCS-A.01.02_OpenSAF.xsd"))
            .unwrap();
    let mut names: Vec<String> = Vec::new();
    for tag in ["<xs:element ", "<xs:attribute "] {
        for part in xsd.split(tag).skip(1) {
            let head = &part[..part.find('>').unwrap_or(part.len())];
            if let Some(i) = head
                .find(" name=\"")
                .or_else(|| head.find("name=\"").filter(|&i| i == 0))
            {
                let rest = &head[i + head[i..].find('"').unwrap() + 1..];
                names.push(rest[..rest.find('"').unwrap()].to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    assert!(names.len() > 200, "{} names", names.len());
    let missing: Vec<&String> = names.iter().filter(|n| treatment(n).is_none()).collect();
    assert!(
        missing.is_empty(),
        "schema names without a treatment: {missing:?}"
    );
    let extensions = ["saSmfStepInPhaseStep", "saSmfStepLockedReducedStep"];
    let stale: Vec<&str> = UCS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| !names.iter().any(|x| x == n) && !extensions.contains(n))
        .collect();
    assert!(
        stale.is_empty(),
        "treatments of names the schema lacks: {stale:?}"
    );
    let mut seen = std::collections::HashSet::new();
    for (n, _, why) in UCS {
        assert!(seen.insert(n), "{n} listed twice");
        assert!(!why.is_empty(), "{n} has no reason");
    }
}

/// The administrator's repertoire (OpenSAF 5.x campaign FSM): suspending the execution or the
/// rollback (procedures stop at a step boundary; Execution Suspended → Execute or Rollback;
/// Rollback Suspended → Rollback), executing again after an error up to `--max-admin-retries`.
/// The claims stay sound under them: every verdict equals the one without them, every run still
/// ends in a final state, and the suspended states are reached.
#[test]
fn suspend_resume_and_admin_retries_change_no_verdict() {
    use smfcheck::campaign::model::CampState;
    // Every pinned run of those folders at one fault.
    let pinned: Vec<(String, CheckArgs)> = runs()
        .into_iter()
        .filter(|r| r.folder == "soundness/custom-actions" || r.folder == "soundness/migration")
        .filter_map(|r| Some((r.name(), r.check_args()?)))
        .filter(|(_, a)| a.faults == 1)
        .collect();
    assert!(pinned.len() >= 7, "{} runs", pinned.len());
    for (name, pinned) in pinned {
        let base = build_campaign(&pinned).unwrap();
        let (want, n) = verdicts(&base);
        let mut a = pinned;
        a.max_suspends = Some(1);
        a.max_admin_retries = Some(2);
        let m = build_campaign(&a).unwrap();
        assert_eq!((m.max_suspends, m.max_admin_retries), (1, 2));
        let (got, more) = verdicts(&m);
        assert_eq!(got, want, "{name}");
        assert!(more > n, "{name}: {more} ≤ {n}");
        // The suspended states are reachable (a witness claim of our own, checked directly).
        use smfcheck::check::{Check, Claim};
        for target in [CampState::ExecutionSuspended, CampState::RollbackSuspended] {
            let claims = vec![Claim::ad_hoc(
                "suspended",
                vec![Check::Sometimes(
                    if target == CampState::ExecutionSuspended {
                        |_: &CampaignModel, s: &smfcheck::campaign::model::CampSysState| {
                            s.camp == CampState::ExecutionSuspended
                        }
                    } else {
                        |_: &CampaignModel, s: &smfcheck::campaign::model::CampSysState| {
                            s.camp == CampState::RollbackSuspended
                        }
                    },
                )],
            )];
            let o = explore(&m, &claims, &Limits::default());
            assert_eq!(
                o.results[0].verdict,
                Verdict::Witnessed,
                "{target:?} in {name}"
            );
        }
    }
    // Out of range: a usage error.
    let (code, _, err) = smfcheck_in(
        dir().join("custom-actions"),
        &[
            "check",
            "rolling.xml",
            "--config",
            "config.xml",
            "--max-suspends",
            "4",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--max-suspends 4 is out of range 0..=3"),
        "{err}"
    );
}
