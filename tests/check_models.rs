//! `smfcheck check` on the thesis models (models/*/) beyond their verdicts and counts (which are
//! runs of the folders' `expect.json`, tests/manifests.rs): the trace lines that cite the
//! campaign, the case study's initial placements, its state count cross-checked with stateright
//! and the violations without its catching, and the declared outages of the UCS schema.

use super::support::{models, scratch, smfcheck_in};
use smfcheck::campaign::model::CampaignModel;
use smfcheck::check::{Limits, Verdict, explore};
use smfcheck::properties::campaign_registry;
use smfcheck::spec::CampaignOptions;
use smfcheck::xml::campaign::{parse_campaign, parse_campaign_str};
use smfcheck::xml::imm::{ImmFile, parse_imm};
use stateright::{Checker, Model};

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/");

/// `smfcheck ARGS` in `models/`.
fn smfcheck(args: &[&str]) -> (i32, String, String) {
    smfcheck_in(models(""), args)
}

fn line<'a>(out: &'a str, claim: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{claim} ")))
        .unwrap_or_else(|| panic!("{claim} missing:\n{out}"))
}

fn config(dir: &str, cfg: &str) -> Vec<ImmFile> {
    vec![
        parse_imm(format!("{MODELS}{dir}/{cfg}")).unwrap(),
        parse_imm(format!("{MODELS}{dir}/compat.xml")).unwrap(),
    ]
}

/// The model `smfcheck check` builds (thesis semantics, default max-retry 1), by its pipeline.
fn model(campaign: smfcheck::xml::campaign::Campaign, cfg: &[ImmFile]) -> CampaignModel {
    smfcheck::load::campaign_model(&campaign, cfg.to_vec(), None, &CampaignOptions::default())
        .unwrap()
}

fn verdicts(m: &CampaignModel) -> (Vec<(&'static str, Verdict)>, usize) {
    let claims = campaign_registry();
    let o = explore(m, &claims, &Limits::default());
    (
        o.results.iter().map(|r| (r.name, r.verdict)).collect(),
        o.stats.unique_states,
    )
}

/// §3.2.2, §4.1.3: the out-of-phase campaign installs the Windows VLC online on Ubuntu at its
/// third step, and the trace line cites the upgradeStep of the nested step it comes from.
#[test]
fn ubuntu_to_windows_out_of_phase_cites_the_nested_step() {
    let (code, out, _) = smfcheck(&[
        "check",
        "ubuntu-to-windows/out-of-phase.xml",
        "--config",
        "ubuntu-to-windows/config.xml",
        "--compat",
        "ubuntu-to-windows/compat.xml",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(line(&out, "lower-layer-ready-for-install").contains("VIOLATED           3"));
    assert!(
        out.contains(
            "   3  procedure safSmfProc=UpgradeMachine-1 step 1: nested step 1: layer 1: online install new — ok  [ubuntu-to-windows/out-of-phase.xml:122]\n"
        ),
        "{out}"
    );
}

#[test]
fn both_nodes_in_one_procedure_lose_the_si() {
    let (code, out, _) = smfcheck(&[
        "check",
        "vlc-2n/broken-both-nodes-one-procedure.xml",
        "--config",
        "vlc-2n/config.xml",
        "--compat",
        "vlc-2n/compat.xml",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        line(&out, "si-always-available").contains("VIOLATED           4"),
        "{out}"
    );
    assert!(
        out.contains("layer 1: lock DU — ok; SI safSi=SI-1,safApp=VLC: unassigned (no in-service SU can take it)  [vlc-2n/broken-both-nodes-one-procedure.xml:110]\n"),
        "{out}"
    );
}

/// §7.2: the campaign of Figures 7.7–7.10 verifies on the case-study configuration, from every
/// initial placement of the six migratable VMs; without the catching modifications of Fig. 7.7 a
/// VM can be upgraded while it runs on the other, not yet upgraded VMM.
#[test]
fn thesis_case_study_verifies_and_needs_its_catching() {
    let cfg = config("thesis-case-study", "source.xml");
    let caught = model(
        parse_campaign(format!("{MODELS}thesis-case-study/expected-campaign.xml")).unwrap(),
        &cfg,
    );
    assert_eq!(caught.init_states().len(), 64);
    let (v, states) = verdicts(&caught);
    assert!(
        v.iter().all(|(_, x)| matches!(
            x,
            Verdict::Verified | Verdict::Witnessed | Verdict::NotApplicable
        )),
        "{v:?}"
    );
    // The count itself (2913) is pinned by thesis-case-study/expect.json.
    assert_eq!(
        caught.checker().spawn_bfs().join().unique_state_count(),
        states
    );

    let text = std::fs::read_to_string(format!("{MODELS}thesis-case-study/expected-campaign.xml"))
        .unwrap();
    let start = text.find("<campInitAction>").unwrap();
    let end = text.rfind("</campInitAction>").unwrap() + "</campInitAction>".len();
    let uncaught_text = format!("{}{}", &text[..start], &text[end..]);
    let uncaught = model(
        parse_campaign_str("uncaught.xml", &uncaught_text).unwrap(),
        &cfg,
    );
    let (v, _) = verdicts(&uncaught);
    let get = |n: &str| v.iter().find(|(x, _)| *x == n).unwrap().1;
    assert_eq!(get("no-incompatible-hosting"), Verdict::Violated);
    assert_eq!(get("lower-layer-ready-for-install"), Verdict::Violated);
}

/// The whole XSD choice of acceptableServiceOutage: `all` accepts the outage of the both-nodes
/// campaign (verified, but reported as a note with its trace); `--strict-availability` ignores the
/// allowance; `max` with `mustKeepAssignedSI` naming the SI does not accept it.
#[test]
fn declared_outage_is_accepted_noted_or_refused() {
    let text = std::fs::read_to_string(format!(
        "{MODELS}vlc-2n/broken-both-nodes-one-procedure.xml"
    ))
    .unwrap();
    let dir = scratch("outage");
    let run = |name: &str, outage: &str, strict: bool| {
        let path = dir.join(name);
        std::fs::write(&path, text.replace("<none/>", outage)).unwrap();
        let path = path.to_str().unwrap().to_string();
        let mut args = vec![
            "check".to_string(),
            path,
            "--config".into(),
            "vlc-2n/config.xml".into(),
            "--compat".into(),
            "vlc-2n/compat.xml".into(),
        ];
        if strict {
            args.push("--strict-availability".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        smfcheck(&args)
    };
    let (code, out, _) = run("all.xml", "<all/>", false);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("note: an outage the campaign declares acceptable"),
        "{out}"
    );
    let (code, _, _) = run("all.xml", "<all/>", true);
    assert_eq!(code, 1);
    let si = "safSi=SI-1,safApp=VLC";
    let (code, out, _) = run(
        "keep.xml",
        &format!("<max value=\"1\"/><mustKeepAssignedSI saSmfProcMustKeepSIs=\"{si}\"/>"),
        false,
    );
    assert_eq!(code, 1, "{out}");
    let (code, out, _) = run(
        "may.xml",
        &format!("<max value=\"1\"/><mayGoUnassignedSI saSmfProcAcceptSIOutage=\"{si}\"/>"),
        false,
    );
    assert_eq!(code, 0, "{out}");
}
