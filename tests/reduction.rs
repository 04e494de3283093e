//! Symmetry reduction preserves verdicts (issue #11, docs/semantics.md §16): on every pinned
//! model (the manifests, broken models included), every seeded mutant of the step core and of
//! the campaign FSM, and random campaigns of parallel procedures, the reduced exploration gives
//! the verdicts, exit code and shortest trace lengths of the full one; its traces are concrete
//! runs of the unreduced model; and procedures that differ (in their steps, their outage
//! allowance, or the state of their entities) are never exchanged.

#[path = "../benches/support/parallel.rs"]
mod parallel;

use super::support::manifest::runs;
use super::support::{claim_verdicts, opensaf_or, smfcheck_in};
use parallel::{ProcOpts, Variant};
use proptest::prelude::*;
use rayon::prelude::*;
use smfcheck::campaign::model::{CampMutant, CampaignModel, PorMutant};
use smfcheck::check::{Limits, Outcome, explore};
use smfcheck::properties::campaign_registry;
use smfcheck::spec::{CampaignOptions, CampaignSpec};
use smfcheck::step::fsm::ALL_MUTANTS;
use stateright::Model;

/// A member of the family, built as `smfcheck check` builds it (without reduction).
fn model(v: &Variant, faults: u8) -> CampaignModel {
    model_with(v, faults, 0)
}

/// The same, with `suspends` suspensions by the administrator.
fn model_with(v: &Variant, faults: u8, suspends: u8) -> CampaignModel {
    let dir = tempfile::tempdir().unwrap();
    let campaign = dir.path().join("campaign.xml");
    let config = dir.path().join("config.xml");
    std::fs::write(&campaign, v.campaign_xml()).unwrap();
    std::fs::write(&config, v.config_xml()).unwrap();
    let spec = CampaignSpec {
        campaign,
        config: vec![config],
        compat: None,
        target: vec![],
        options: CampaignOptions {
            faults,
            max_suspends: suspends,
            ..CampaignOptions::default()
        },
    };
    smfcheck::load::campaign(&spec).unwrap_or_else(|e| panic!("{v:?}: {e}"))
}

/// (claim, verdict, trace length) of every claim.
fn verdicts(o: &Outcome<CampaignModel>) -> Vec<(&'static str, String, Option<usize>)> {
    o.results
        .iter()
        .map(|r| {
            (
                r.name,
                r.verdict.word().to_string(),
                r.trace.as_ref().map(|t| t.len()),
            )
        })
        .collect()
}

/// Every trace of `o` is a run of `m`: it starts in an initial state, each action is enabled
/// and leads to the next state shown, and a lasso closes on the state it names.
fn traces_are_concrete(m: &CampaignModel, o: &Outcome<CampaignModel>, label: &str) {
    let init = m.init_states();
    for r in &o.results {
        let Some(t) = &r.trace else { continue };
        assert!(
            init.contains(&t.states[0]),
            "{label}: {} starts nowhere",
            r.name
        );
        for (i, a) in t.actions.iter().enumerate() {
            let next = m.next_state(&t.states[i], *a);
            assert_eq!(
                next.as_ref(),
                Some(&t.states[i + 1]),
                "{label}: {} step {i} ({a:?}) is not a transition of the model",
                r.name
            );
        }
        if let Some(l) = t.loop_start {
            assert_eq!(t.states.last(), t.states.get(l), "{label}: {} loop", r.name);
        }
    }
}

/// Explore `m` with every campaign claim, without reduction and with each reduction (symmetry,
/// partial order, both); the verdicts, exit codes and trace lengths must agree, the reduced
/// traces be concrete. Returns whether the symmetry reduction found interchangeable
/// procedures, and the state counts without reduction and with both.
fn agree(m: &CampaignModel, label: &str) -> (bool, usize, usize) {
    let claims = campaign_registry();
    let limits = Limits::default();
    let full = explore(m, &claims, &limits);
    assert!(full.cut_short.is_none(), "{label}");
    let mut both = m.clone();
    let active = both.reduce();
    let mut sym = both.clone();
    sym.por = false;
    let mut por = m.clone();
    por.por = true;
    let mut counts = Vec::new();
    for (which, r) in [("symmetry", &sym), ("partial order", &por), ("both", &both)] {
        let reduced = explore(r, &claims, &limits);
        assert!(reduced.cut_short.is_none(), "{label} ({which})");
        assert_eq!(
            verdicts(&full),
            verdicts(&reduced),
            "{label}: verdicts or trace lengths differ with reduction ({which})"
        );
        assert_eq!(full.exit_code(), reduced.exit_code(), "{label} ({which})");
        traces_are_concrete(m, &reduced, label);
        assert!(
            reduced.stats.unique_states <= full.stats.unique_states,
            "{label} ({which})"
        );
        counts.push(reduced.stats.unique_states);
    }
    let [sym_states, por_states, both_states] = counts[..] else {
        unreachable!()
    };
    if active {
        assert!(
            sym_states < full.stats.unique_states,
            "{label}: a symmetry reduction that stores as many states"
        );
    } else {
        assert_eq!(sym_states, full.stats.unique_states, "{label}");
    }
    assert!(both_states <= sym_states.min(por_states), "{label}");
    (active, full.stats.unique_states, both_states)
}

fn uniform(p: usize, spare: bool) -> Variant {
    Variant {
        spare,
        locked_su: None,
        procs: vec![ProcOpts::BENCH; p],
    }
}

/// The P family reduces by about P! (every arrangement of P identical procedures), with the
/// same verdicts; without a spare node SI-1 is lost and the counterexample is the same length.
#[test]
fn parallel_family_reduces_and_agrees() {
    let (active, full, reduced) = agree(&model(&uniform(3, true), 1), "P=3 F=1");
    assert!(active);
    assert!(
        full as f64 / reduced as f64 > 4.0,
        "P=3: {full} states, {reduced} reduced"
    );
    // The P = 3 (wide levels: the search for duplicates among a chunk's successors is
    // at work): the counts are the and stateright's (benches/parallel.rs), the
    // verdicts those of the reduced run.
    let (active, full, reduced) = agree(&model(&uniform(3, true), 2), "P=3 F=2");
    assert!(active);
    assert_eq!((full, reduced), (178_030, 26_175));
    let m = model(&uniform(3, false), 1);
    let (active, _, _) = agree(&m, "P=3 F=1 no spare");
    assert!(active);
    let o = explore(&m, &campaign_registry(), &Limits::default());
    assert_eq!(
        o.result("si-always-available").unwrap().verdict.word(),
        "VIOLATED",
        "without a spare node SI-1 goes unassigned"
    );
}

/// Every seeded defect of the step core (in every procedure alike) and of the campaign FSM:
/// the same verdicts with and without reduction, and the reduction is in force.
#[test]
fn every_mutant_agrees() {
    let mut cases: Vec<(String, CampaignModel)> = Vec::new();
    for spare in [true, false] {
        let base = model(&uniform(2, spare), 1);
        for mutant in ALL_MUTANTS {
            let mut m = base.clone();
            for p in &mut m.procs {
                for core in &mut p.steps {
                    core.mutant = Some(mutant);
                }
            }
            cases.push((format!("step {mutant:?}, spare {spare}"), m));
        }
        for mutant in [
            CampMutant::StartAllLevels,
            CampMutant::RollbackAllLevels,
            CampMutant::FailureCompletes,
            CampMutant::RollbackFailureIgnored,
            CampMutant::InFlightDown,
            CampMutant::OutageMaxIgnored,
            CampMutant::OwnOperationsIgnored,
            CampMutant::CapacityIgnored,
            CampMutant::CustomActionsIgnored,
            CampMutant::CcbUndoSkipped,
        ] {
            let mut m = base.clone();
            m.seed(mutant);
            cases.push((format!("campaign {mutant:?}, spare {spare}"), m));
        }
    }
    let killed: usize = cases
        .par_iter()
        .map(|(label, m)| {
            let (active, _, _) = agree(m, label);
            assert!(active, "{label}: the procedures are still interchangeable");
            let o = explore(m, &campaign_registry(), &Limits::default());
            (o.exit_code() == 1) as usize
        })
        .sum();
    // The comparison is not vacuous: most mutants violate something.
    assert!(
        killed >= cases.len() / 2,
        "{killed} of {} violate",
        cases.len()
    );
}

/// The comparison with the full exploration is not vacuous for partial-order reduction: ample
/// sets that take every step move as a procedure's own (also those that act on entities)
/// change verdicts of small members of the family. (The premises' unit test,
/// `ample_sets_meet_their_premises_on_every_reachable_state`, rejects every seeded defect.)
#[test]
fn every_reduction_mutant_is_caught() {
    let claims = campaign_registry();
    let limits = Limits::default();
    let cases = [
        ("P=2 F=0 no spare", model(&uniform(2, false), 0)),
        ("P=3 F=0 no spare", model(&uniform(3, false), 0)),
    ];
    // (`ReceiveAmple` changes no verdict of this family, whose procedures have one step each:
    // the premises' unit test rejects it, as it rejects every seeded defect.)
    let caught = cases.iter().any(|(_, m)| {
        let full = explore(m, &claims, &limits);
        let mut r = m.clone();
        r.por = true;
        r.por_mutant = Some(PorMutant::StepMovesAmple);
        let reduced = explore(&r, &claims, &limits);
        verdicts(&full) != verdicts(&reduced)
    });
    assert!(caught, "StepMovesAmple is not caught");
}

/// Procedures that differ are not exchanged: other step options, another outage allowance,
/// another execution level, or a node whose SU is locked in the configuration.
#[test]
fn differing_procedures_are_not_exchanged() {
    let other = ProcOpts {
        max_retry: 2,
        ..ProcOpts::BENCH
    };
    for (label, v, classes) in [
        (
            "max retry differs",
            Variant {
                procs: vec![ProcOpts::BENCH, other.clone()],
                ..uniform(2, true)
            },
            0,
        ),
        (
            "outage differs",
            Variant {
                procs: vec![
                    ProcOpts::BENCH,
                    ProcOpts {
                        outage_all: true,
                        ..ProcOpts::BENCH
                    },
                ],
                ..uniform(2, true)
            },
            0,
        ),
        (
            "levels differ",
            Variant {
                procs: vec![
                    ProcOpts::BENCH,
                    ProcOpts {
                        level: 1,
                        ..ProcOpts::BENCH
                    },
                ],
                ..uniform(2, true)
            },
            0,
        ),
        (
            "SU-1 locked",
            Variant {
                locked_su: Some(1),
                ..uniform(2, true)
            },
            0,
        ),
        (
            "SU-1 locked, two of three alike",
            Variant {
                locked_su: Some(1),
                ..uniform(3, true)
            },
            1,
        ),
        (
            "one of three differs",
            Variant {
                procs: vec![other, ProcOpts::BENCH, ProcOpts::BENCH],
                ..uniform(3, true)
            },
            1,
        ),
    ] {
        let mut m = model(&v, 1);
        m.reduce();
        let found = m.symmetry.as_ref().map_or(0, |s| s.classes.len());
        assert_eq!(found, classes, "{label}");
        if let Some(s) = &m.symmetry {
            assert!(
                s.classes
                    .iter()
                    .all(|c| c.procs.len() == 2 && !c.procs.contains(&0)),
                "{label}: {s:?}"
            );
        }
        m.symmetry = None;
        m.por = false;
        agree(&m, label);
    }
}

/// Every pinned `check` run of the manifests (broken models included) gives the same exit code,
/// verdicts and trace lengths with `--no-reduction` as with the default reduction, through the
/// binary as users run it; some of them are reduced.
#[test]
fn every_pinned_model_agrees_without_reduction() {
    let os = opensaf_or("the pinned OpenSAF runs");
    let runs: Vec<_> = runs()
        .into_iter()
        .filter(|r| r.run.args.first().map(String::as_str) == Some("check") && r.run.exit != 2)
        .filter(|r| !r.needs_opensaf() || os.is_some())
        .filter(|r| !r.run.args.iter().any(|a| a == "--no-reduction"))
        .collect();
    assert!(runs.len() > 20, "{} runs", runs.len());
    let reduced: usize = runs
        .par_iter()
        .map(|r| {
            let mut argv = r.argv(os.as_deref());
            argv.extend(["--format".into(), "json".into()]);
            let (c1, default, e1) = smfcheck_in(r.dir(), &argv);
            argv.push("--no-reduction".into());
            let (c2, full, e2) = smfcheck_in(r.dir(), &argv);
            assert_eq!(c1, c2, "{}: {e1}{e2}", r.name());
            let (a, sym) = report(&default);
            let (b, _) = report(&full);
            assert_eq!(a, b, "{}", r.name());
            sym as usize
        })
        .sum();
    if os.is_some() {
        assert!(reduced >= 2, "no pinned model is reduced");
    }
}

/// (claim, verdict, trace length) of a JSON report, and whether it was reduced.
fn report(json: &str) -> (Vec<(String, String, Option<u64>)>, bool) {
    let (props, v) = claim_verdicts(json);
    (props, v["statistics"]["reduction"].is_string())
}

fn proc_opts() -> impl Strategy<Value = ProcOpts> {
    (0u32..2, any::<bool>(), 0u8..3, prop::bool::weighted(0.2)).prop_map(
        |(level, in_phase, max_retry, outage_all)| ProcOpts {
            level,
            in_phase,
            max_retry,
            outage_all,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random campaigns of 2–4 parallel procedures, some alike and some not, with or without a
    /// spare node or a locked SU, random fault budgets and, for up to three procedures, an
    /// administrator who may suspend once (the campaign's state that a procedure reads at a
    /// step boundary): neither reduction changes a verdict or a trace length.
    #[test]
    fn random_parallel_campaigns_agree(
        opts in prop::collection::vec(proc_opts(), 1..4),
        pick in prop::collection::vec(0usize..3, 2..5),
        spare in any::<bool>(),
        locked in prop::option::weighted(0.2, 1usize..3),
        faults in 0u8..3,
        suspends in 0u8..2,
    ) {
        // Procedures drawn from a few option sets, so that some are alike.
        let procs: Vec<ProcOpts> = pick.iter().map(|&i| opts[i % opts.len()].clone()).collect();
        let faults = if procs.len() > 3 { faults.min(1) } else { faults };
        let suspends = if procs.len() > 3 { 0 } else { suspends };
        let v = Variant { spare, locked_su: locked, procs };
        agree(
            &model_with(&v, faults, suspends),
            &format!("{v:?} F={faults} suspends={suspends}"),
        );
    }
}

/// A run cut short by a limit with partial-order reduction (the limit stops the search for the
/// shortest trace as well): the violation found is kept as a run of the model (shortened by
/// dropping what the hit does not need), marked as not proven shortest, and nothing is
/// verified.
#[test]
fn a_limit_during_the_reduced_run_keeps_a_concrete_trace() {
    let mut m = model(&uniform(3, false), 1);
    m.reduce();
    let limits = Limits {
        max_states: Some(40),
        ..Limits::default()
    };
    let o = explore(&m, &campaign_registry(), &limits);
    assert!(o.cut_short.is_some());
    assert_eq!(o.exit_code(), 1);
    let r = o.result("si-always-available").unwrap();
    assert_eq!(r.verdict.word(), "VIOLATED");
    let t = r.trace.as_ref().expect("a counterexample");
    assert!(t.len() >= 7, "{} steps: shorter than the shortest", t.len());
    // The search for the shortest trace stopped at the limit too.
    assert!(!r.shortest);
    traces_are_concrete(&m, &o, "cut short");
    assert!(
        o.results
            .iter()
            .all(|r| r.verdict.word() != "verified" && r.verdict.word() != "unreachable")
    );
}
