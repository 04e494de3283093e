//! The property registry: every claim smfcheck can check, each one [`Claim`] value with its name
//! (written once), kind, one-line doc, the thesis section it encodes and its checks.
//! `properties/*.props` files select claims by name; nothing outside this file defines a claim.
//! The registry depends on [`crate::check`] (the claim type) and the models, never the reverse.
//!
//! Claims compare real layer state (software, admin state, IM, what runs), not FSM labels, except
//! where the claim is about the FSM protocol itself (propagation of signals, activity).

use crate::check::{Check, Claim, Kind, every_model};
use crate::error::Error;
use crate::step::fsm::StepState;
use crate::step::model::{ProcView, StepModel, StepSysState};
use std::path::Path;

type S = StepSysState;
type M = StepModel;

fn layers_equal(m: &M, s: &S, f: fn(&M, usize) -> crate::step::action::LayerState) -> bool {
    (0..m.degree()).all(|l| s.run.layers[l] == f(m, l))
}
fn source(m: &M, l: usize) -> crate::step::action::LayerState {
    m.step().source(l)
}
fn target(m: &M, l: usize) -> crate::step::action::LayerState {
    m.step().target(l)
}
fn outer(s: &S) -> StepState {
    s.run.steps[0].st
}
fn any_step(m: &M, s: &S, f: impl Fn(StepState) -> bool) -> Option<usize> {
    (0..m.degree()).find(|&k| f(s.run.steps[k].st))
}
fn rollback_trouble(st: StepState) -> bool {
    matches!(
        st,
        StepState::RollbackFailed | StepState::RollbackUndone | StepState::RollbackPartialUndone
    )
}

macro_rules! reach {
    ($name:literal, $state:ident, $doc:literal, $applies:expr) => {
        Claim {
            name: $name,
            kind: Kind::Reachable,
            doc: $doc,
            section: "§2.8.6, §4.4.1",
            checks: vec![Check::Sometimes(|_, s| outer(s) == StepState::$state)],
            applies: $applies,
        }
    };
}

/// The claims about one (embedded) upgrade step, in the order of the verdict table.
pub fn step_registry() -> Vec<Claim<StepModel>> {
    vec![
        Claim {
            name: "undo-restores-pre-step-state",
            kind: Kind::Always,
            doc: "whenever the embedded step is Undone, every layer equals its pre-step state",
            section: "§2.8.4, §4.2",
            checks: vec![Check::Always(|m: &M, s: &S| {
                outer(s) != StepState::Undone || layers_equal(m, s, source)
            })],
            applies: every_model,
        },
        Claim {
            name: "retry-starts-from-stable-state",
            kind: Kind::Always,
            doc: "whenever a nested step (re-)enters a phase of its execution or rollback, its layer is at the state before that phase",
            section: "§4.2, §4.4.1",
            checks: vec![Check::Always(|m: &M, s: &S| {
                (0..m.degree()).all(|k| {
                    let n = s.run.steps[k];
                    let rollback = match n.st {
                        StepState::Executing => false,
                        StepState::RollingBack => true,
                        _ => return true,
                    };
                    let w = if rollback {
                        &m.step().rollback[k]
                    } else {
                        &m.step().forward[k]
                    };
                    let start = if n.phase == 0 { 0 } else { w.boundary };
                    n.pc as usize != start || s.run.layers[k] == m.phase_start(k, rollback, n.phase)
                })
            })],
            applies: every_model,
        },
        Claim {
            name: "completed-means-target",
            kind: Kind::Always,
            doc: "a Completed nested step leaves its layer on the new software, instantiated, unlocked, IM new; a Completed embedded step, every layer",
            section: "§2.8.1, §4.1.3",
            checks: vec![Check::Always(|m: &M, s: &S| {
                (outer(s) != StepState::Completed || layers_equal(m, s, target))
                    && (0..m.degree()).all(|k| {
                        s.run.steps[k].st != StepState::Completed
                            || s.run.layers[k] == m.step().target(k)
                    })
            })],
            applies: every_model,
        },
        Claim {
            name: "rollback-restores-source",
            kind: Kind::Always,
            doc: "whenever the embedded step is Rolled Back, every layer equals its state before the step",
            section: "§2.8.5, §4.3",
            checks: vec![Check::Always(|m: &M, s: &S| {
                outer(s) != StepState::RolledBack || layers_equal(m, s, source)
            })],
            applies: every_model,
        },
        Claim {
            name: "failure-propagates",
            kind: Kind::Eventually,
            doc: "a nested Failed reaches every outer step and the procedure, and nothing reaches Completed after it",
            section: "§4.2, §4.4.1 (Failed)",
            checks: vec![
                Check::AtEnd(
                    |m: &M, s: &S| match any_step(m, s, |st| st == StepState::Failed) {
                        None => true,
                        Some(_) => {
                            let deepest = (0..m.degree())
                                .rev()
                                .find(|&k| s.run.steps[k].st == StepState::Failed)
                                .unwrap_or(0);
                            s.proc == ProcView::Failed
                                && (0..deepest).all(|k| s.run.steps[k].st == StepState::Failed)
                        }
                    },
                ),
                Check::OnStep(|m: &M, s: &S, _, t: &S| {
                    any_step(m, s, |st| st == StepState::Failed).is_none()
                        || ((0..m.degree()).all(|k| {
                            t.run.steps[k].st != StepState::Completed
                                || s.run.steps[k].st == StepState::Completed
                        }) && (t.proc != ProcView::Completed || s.proc == ProcView::Completed))
                }),
            ],
            applies: every_model,
        },
        Claim {
            name: "rollback-failure-propagates",
            kind: Kind::Eventually,
            doc: "Rollback Failed / Rollback Undone reach the procedure; outer steps do not undo themselves",
            section: "§4.4.1 (Rollback Partial Undone, Rollback Failed)",
            checks: vec![
                Check::AtEnd(|m: &M, s: &S| {
                    any_step(m, s, rollback_trouble).is_none()
                        || matches!(s.proc, ProcView::RollbackFailed | ProcView::RollbackUndone)
                }),
                Check::Always(|m: &M, s: &S| {
                    (0..m.degree()).all(|k| {
                        !rollback_trouble(s.run.steps[k].st)
                            || (0..k).all(|j| {
                                !matches!(
                                    s.run.steps[j].st,
                                    StepState::UndoingRollback | StepState::RollingBack
                                )
                            })
                    })
                }),
            ],
            applies: every_model,
        },
        Claim {
            name: "one-nested-step-active",
            kind: Kind::Always,
            doc: "at most one nested step is Executing, Undoing, Partial Undoing, Rolling Back or Undoing Rollback at a time",
            section: "§4.4",
            checks: vec![Check::Always(|m: &M, s: &S| {
                (0..m.degree())
                    .filter(|&k| s.run.steps[k].st.is_active())
                    .count()
                    <= 1
            })],
            applies: every_model,
        },
        Claim {
            name: "lower-layer-ready-for-install",
            kind: Kind::Always,
            doc: "every (un)installation on layer i runs while layer i+1 is running and compatible with that software",
            section: "§3.1, §3.2.2, §4.1.2",
            checks: vec![Check::OnStep(
                |m: &M, s: &S, a: &crate::step::model::StepAction, _| match m.op_of(s, a) {
                    Some(op) => m.install_ready(s, op),
                    None => true,
                },
            )],
            applies: every_model,
        },
        Claim {
            name: "terminates-in-final-state",
            kind: Kind::Termination,
            doc: "every run ends in a final state: no deadlock elsewhere (e.g. an unhandled signal), no cycle avoiding the final states",
            section: "§2.8.6, §4.4.1",
            checks: vec![Check::Terminates],
            applies: every_model,
        },
        reach!(
            "reaches-completed",
            Completed,
            "the embedded step can complete",
            every_model
        ),
        reach!(
            "reaches-undone",
            Undone,
            "the embedded step can end Undone (needs faults > max-retry)",
            every_model
        ),
        reach!(
            "reaches-failed",
            Failed,
            "the embedded step can end Failed (a failure while undoing)",
            every_model
        ),
        reach!(
            "reaches-rolled-back",
            RolledBack,
            "the embedded step can be rolled back",
            |m: &M| m.allow_rollback
        ),
        reach!(
            "reaches-rollback-undone",
            RollbackUndone,
            "the rollback can end Rollback Undone",
            |m: &M| m.allow_rollback
        ),
        reach!(
            "reaches-rollback-partial-undone",
            RollbackPartialUndone,
            "the rollback can end Rollback Partial Undone (only an outer step, so degree ≥ 2)",
            |m: &M| m.allow_rollback && m.degree() >= 2
        ),
        reach!(
            "reaches-rollback-failed",
            RollbackFailed,
            "the rollback can end Rollback Failed",
            |m: &M| m.allow_rollback
        ),
    ]
}

/// Every registered name of the step registry (for error messages and `smfcheck properties`).
pub fn all_names() -> Vec<&'static str> {
    step_registry().iter().map(|e| e.name).collect()
}

/// Every registered name of the campaign registry.
pub fn campaign_names() -> Vec<&'static str> {
    campaign_registry().iter().map(|e| e.name).collect()
}

/// Read a property-set file of step claims: one registry name per line, `#` starts a comment.
pub fn read_selection(path: &Path) -> Result<Vec<String>, Error> {
    read_selection_from(path, &all_names())
}

/// Read a property-set file against a given list of known names (with [`crate::input`]'s
/// checks), and parse it with [`parse_selection`].
pub fn read_selection_from(path: &Path, known: &[&'static str]) -> Result<Vec<String>, Error> {
    let text = crate::input::read_text(
        path,
        crate::input::Kind::Properties,
        &crate::input::Origin::CommandLine,
    )?;
    parse_selection(&path.display().to_string(), &text, known)
}

/// Parse the text of a property-set file named `name` (in messages): one registry name per
/// line, `#` starts a comment; every name must be one of `known`, and at least one is given.
pub fn parse_selection(
    name: &str,
    text: &str,
    known: &[&'static str],
) -> Result<Vec<String>, Error> {
    // A UTF-8 byte-order mark at the start is an encoding mark, not part of the first name.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut names = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let claim = line.split('#').next().unwrap_or("").trim();
        if claim.is_empty() {
            continue;
        }
        if !known.contains(&claim) {
            return Err(Error::UnknownProperty {
                file: name.to_string(),
                line: no + 1,
                // Invisible characters (a BOM, a NUL, a zero-width space) are escaped, so the
                // name shown differs visibly from the valid one it resembles; long names are
                // shortened.
                name: {
                    let shown: String = claim
                        .chars()
                        .flat_map(|c| {
                            if c.is_control() || c == '\u{feff}' || c == '\u{200b}' {
                                c.escape_unicode().collect::<Vec<_>>()
                            } else {
                                vec![c]
                            }
                        })
                        .collect();
                    crate::xml::position::shorten(&shown).into_owned()
                },
                known: known.join(", "),
            });
        }
        names.push(claim.to_string());
    }
    if names.is_empty() {
        return Err(Error::Usage(format!("{name}: selects no property")));
    }
    Ok(names)
}

/// The step claims of a selection (all of the registry if `None`), in registry order.
pub fn step_claims(selection: Option<&[String]>) -> Vec<Claim<StepModel>> {
    step_registry()
        .into_iter()
        .filter(|e| selection.is_none_or(|sel| sel.iter().any(|n| n == e.name)))
        .collect()
}

mod campaign_claims {
    //! Claims about a campaign of procedures and steps (docs/semantics.md §6; thesis §2.8.2, §2.8.5).
    use crate::campaign::model::{
        CampAction, CampState, CampSysState, CampaignModel, ProcState, outer_state,
    };
    use crate::check::{Check, Claim, Kind, every_model};
    use crate::step::action::LayerState;
    use crate::step::fsm::StepState;

    type C = CampaignModel;
    type S = CampSysState;

    fn steps<'a>(s: &'a S) -> impl Iterator<Item = (usize, usize, StepState)> + 'a {
        s.procs.iter().enumerate().flat_map(|(p, rt)| {
            rt.runs
                .iter()
                .enumerate()
                .map(move |(k, r)| (p, k, outer_state(r)))
        })
    }

    fn layers_at(m: &C, s: &S, target: bool) -> bool {
        s.procs.iter().enumerate().all(|(p, rt)| {
            rt.runs.iter().enumerate().all(|(k, r)| {
                let e = &m.procs[p].steps[k].step;
                (0..e.degree())
                    .all(|l| r.layers[l] == if target { e.target(l) } else { e.source(l) })
            })
        })
    }

    /// Every SI that was provided when the campaign started and is not assigned now is an
    /// outage some procedure in progress declares acceptable (`outageInfo/
    /// acceptableServiceOutage`, UCS schema): `all`; never `none`; or at most `max` SIs (the SIs
    /// unassigned at the same moment), and with `mayGoUnassignedSI` only those, with
    /// `mustKeepAssignedSI` never those. When procedures run in parallel, each unassigned SI
    /// must be charged to one of them within its `max` (a matching). Where AMF's choice among SIs
    /// of equal rank decides which are unassigned, every choice must be acceptable.
    fn outages_acceptable(m: &C, s: &S) -> bool {
        let (Some(sys), Some(st)) = (&m.system, &s.sys) else {
            return true;
        };
        let w = &sys.world;
        let mut definite: Vec<usize> = Vec::new();
        let mut groups: Vec<(Vec<usize>, usize)> = Vec::new();
        let all = st.assignment(w);
        for (g, a) in all.iter().enumerate() {
            let mut members = Vec::new();
            for &i in &w.sg_sis[g] {
                // An SI the campaign deleted is gone, not unassigned (its removal is the
                // campaign's purpose; while it still exists its outage counts).
                if st.baseline & (1 << i) == 0
                    || a.assigned & (1 << i) != 0
                    || st.deleted_sis & (1 << i) != 0
                {
                    continue;
                }
                if a.maybe & (1 << i) != 0 {
                    members.push(i);
                } else {
                    definite.push(i);
                }
            }
            let k = (a.maybe_dropped as usize).min(members.len());
            if k > 0 {
                groups.push((members, k));
            }
        }
        if definite.is_empty() && groups.is_empty() {
            return true;
        }
        if sys.strict {
            return false;
        }
        let allowances: Vec<&crate::xml::campaign::Outage> = s
            .procs
            .iter()
            .enumerate()
            .filter(|(_, rt)| {
                matches!(
                    rt.st,
                    ProcState::Executing
                        | ProcState::Suspended
                        | ProcState::StepUndone
                        | ProcState::RollingBack
                        | ProcState::RollbackSuspended
                )
            })
            .map(|(p, _)| &sys.outages[p])
            .collect();
        // Every way AMF may pick the unassigned members of each group of equal rank (bounded;
        // past the bound every member counts as unassigned, which can only be stricter).
        let mut choices: Vec<Vec<usize>> = vec![definite];
        for (members, k) in groups {
            let combos = combinations(&members, k);
            if choices.len() * combos.len() > 4096 {
                for c in &mut choices {
                    c.extend(&members);
                }
                continue;
            }
            choices = choices
                .iter()
                .flat_map(|c| {
                    combos.iter().map(move |x| {
                        let mut c = c.clone();
                        c.extend(x);
                        c
                    })
                })
                .collect();
        }
        let max_ignored = m.mutant == Some(crate::campaign::model::CampMutant::OutageMaxIgnored);
        choices
            .iter()
            .all(|dropped| charged(dropped, &allowances, &sys.si_names, max_ignored))
    }

    /// All `k`-element subsets of `items`.
    fn combinations(items: &[usize], k: usize) -> Vec<Vec<usize>> {
        if k == 0 {
            return vec![Vec::new()];
        }
        if items.len() < k {
            return Vec::new();
        }
        let mut with: Vec<Vec<usize>> = combinations(&items[1..], k - 1)
            .into_iter()
            .map(|mut c| {
                c.insert(0, items[0]);
                c
            })
            .collect();
        with.extend(combinations(&items[1..], k));
        with
    }

    /// Whether each dropped SI can be charged to a procedure that allows it, no procedure
    /// charged more than its `max` (bipartite matching by augmenting paths).
    fn charged(
        dropped: &[usize],
        allowances: &[&crate::xml::campaign::Outage],
        names: &[String],
        max_ignored: bool,
    ) -> bool {
        use crate::xml::campaign::{Outage, SiConstraint};
        let allows = |p: usize, si: usize| -> bool {
            let name = &names[si];
            match allowances[p] {
                Outage::All => true,
                Outage::None => false,
                Outage::Limited { sis, .. } => match sis {
                    SiConstraint::Unrestricted => true,
                    SiConstraint::MayGoUnassigned(l) => l.iter().any(|x| x == name),
                    SiConstraint::MustKeepAssigned(l) => !l.iter().any(|x| x == name),
                },
            }
        };
        let cap = |p: usize| -> usize {
            match allowances[p] {
                Outage::All => usize::MAX,
                Outage::None => 0,
                Outage::Limited { .. } if max_ignored => usize::MAX,
                Outage::Limited { max, .. } => {
                    max.map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX))
                }
            }
        };
        // Slots: procedure p offers min(cap, |dropped|) slots.
        let slots: Vec<usize> = (0..allowances.len())
            .flat_map(|p| std::iter::repeat_n(p, cap(p).min(dropped.len())))
            .collect();
        let mut owner: Vec<Option<usize>> = vec![None; slots.len()];
        fn augment(
            d: usize,
            dropped: &[usize],
            slots: &[usize],
            owner: &mut [Option<usize>],
            seen: &mut [bool],
            allows: &dyn Fn(usize, usize) -> bool,
        ) -> bool {
            for k in 0..slots.len() {
                if seen[k] || !allows(slots[k], dropped[d]) {
                    continue;
                }
                seen[k] = true;
                if owner[k].is_none_or(|o| augment(o, dropped, slots, owner, seen, allows)) {
                    owner[k] = Some(d);
                    return true;
                }
            }
            false
        }
        (0..dropped.len()).all(|d| {
            let mut seen = vec![false; slots.len()];
            augment(d, dropped, &slots, &mut owner, &mut seen, &allows)
        })
    }

    /// Every (un)installation runs on a running, compatible lower layer (§3.1, §3.2.2).
    fn installs_ready(m: &C, s: &S, a: &CampAction) -> bool {
        use crate::step::fsm::Move;
        use crate::system::state::Upper;
        let (
            Some(sys),
            Some(st),
            CampAction::Step {
                proc,
                mv: Move::Run { step, .. },
            },
        ) = (&m.system, &s.sys, a)
        else {
            return true;
        };
        let p = *proc as usize;
        let cur = s.procs[p].cur as usize;
        let Some(op) = m.procs[p].steps[cur].next_op(&s.procs[p].runs[cur], *step as usize) else {
            return true;
        };
        let Some(v) = op.action.installs() else {
            return true;
        };
        let b = &sys.bindings[p][cur][op.layer as usize];
        let side = crate::campaign::plan::Side::of(op.action);
        let w = &sys.world;
        let on = |upper: Upper, lower: Option<usize>| match lower {
            None => true,
            Some(l) => match st.ees[l].running() {
                None => false,
                Some(g) => w.compat.ok(upper, l, v, g),
            },
        };
        // A running EE is the execution environment of its own online operations (§3.2.2,
        // §4.1.2, §4.1.3); across a base-type change the other generation's image cannot be
        // (un)installed on it (`World::own_op_ok`).
        let own = |e: usize| {
            op.action.is_offline()
                || m.mutant == Some(crate::campaign::model::CampMutant::OwnOperationsIgnored)
                || st.ees[e].running().is_none_or(|g| w.own_op_ok(e, v, g))
        };
        b.ees
            .iter()
            .zip(&b.ee_side)
            .filter(|(_, s)| s.reached_by(side))
            .all(|(&e, _)| own(e) && on(Upper::Ee(e), st.host_of(w, e)))
            && b.sus
                .iter()
                .zip(&b.su_side)
                .enumerate()
                .filter(|(i, (u, s))| {
                    s.reached_by(side)
                        && b.reaches_sus(op.action)
                        && b.su_here(*i, w.su_node_ids[**u][st.placed[**u] as usize])
                })
                .map(|(_, x)| x)
                .all(|(&u, _)| on(Upper::Su(u), w.su_nodes[u][st.placed[u] as usize]))
    }

    /// Nothing runs on a running lower layer it is incompatible with.
    fn hosting_compatible(m: &C, s: &S) -> bool {
        use crate::system::state::Upper;
        let (Some(sys), Some(st)) = (&m.system, &s.sys) else {
            return true;
        };
        let w = &sys.world;
        let fits = |upper: Upper, v: Option<crate::step::action::Ver>, lower: Option<usize>| match (
            v,
            lower.and_then(|l| st.ees[l].running().map(|g| (l, g))),
        ) {
            (Some(v), Some((l, g))) => w.compat.ok(upper, l, v, g),
            _ => true,
        };
        (0..st.ees.len()).all(|e| fits(Upper::Ee(e), st.ees[e].running(), st.host_of(w, e)))
            && (0..st.sus.len()).all(|u| {
                fits(
                    Upper::Su(u),
                    st.sus[u].running(),
                    w.su_nodes[u][st.placed[u] as usize],
                )
            })
    }

    /// Every EE and SU a step acts on is in the state the campaign's steps state for it: new
    /// software installed and the old removed, IM changed, running (or, for what the campaign
    /// removes, down and uninstalled).
    fn entities_as_planned(m: &C, s: &S) -> bool {
        let (Some(sys), Some(st)) = (&m.system, &s.sys) else {
            return true;
        };
        // Every IMM object the campaign's custom actions, addToImm and removeFromImm touch: as
        // the target has it, or (without a target) with every point's changes applied.
        if let Some(t) = &sys.target {
            return t.holds(st) && sys.ledger.diff_from_target(st.im_done, &t.im).is_empty();
        }
        st.im_done == sys.ledger.all()
            && sys
                .ee_expected
                .iter()
                .zip(&st.ees)
                .all(|(want, have)| want.is_none_or(|w| w == *have))
            && sys
                .su_expected
                .iter()
                .zip(&st.sus)
                .all(|(want, have)| want.is_none_or(|w| w == *have))
    }

    /// Every EE and SU is as it was before the campaign (for the placement it started from:
    /// only the entity bytes are compared, not where migratable VMs run).
    fn entities_as_before(m: &C, s: &S) -> bool {
        let (Some(sys), Some(st)) = (&m.system, &s.sys) else {
            return true;
        };
        let first = &sys.initial[0];
        let same = |a: &LayerState, b: &LayerState| a == b || (absent(*a) && absent(*b));
        // saPlmDepNames as configured again (the initialization's CCBs are undone).
        // Admin states set by custom actions, and what CCBs created or deleted, are reversed
        // too (smfd undoes every custom action on rollback).
        // An SU that is not there before and after (a CCB created and the rollback deleted it
        // again) has no state to compare.
        let gone = |u: usize| u < 128 && (first.deleted_sus & st.deleted_sus) & (1 << u) != 0;
        first.ees.iter().zip(&st.ees).all(|(a, b)| same(a, b))
            && first
                .sus
                .iter()
                .zip(&st.sus)
                .enumerate()
                .all(|(u, (a, b))| gone(u) || same(a, b))
            && first.allowed == st.allowed
            && first.group_admin == st.group_admin
            && first.nodes_locked == st.nodes_locked
            // An SI not there before and after has no admin state to compare.
            && (first.si_admin ^ st.si_admin) & !(first.deleted_sis & st.deleted_sis) == 0
            && first.deleted_sus == st.deleted_sus
            && first.deleted_sis == st.deleted_sis
            // Every IMM object the custom actions and addToImm touched, as before.
            && sys.ledger.diff_from_source(st.im_done, false).is_empty()
    }

    /// An entity that is not there: nothing installed, not running, not in the IM. Its admin
    /// state means nothing (a rolled-back addition is left locked, as its rollback row says).
    fn absent(l: LayerState) -> bool {
        l.0 & !LayerState::LOCKED == 0
    }

    /// The claims about entities apply to a campaign on a configuration only.
    fn has_system(m: &C) -> bool {
        m.system.is_some()
    }

    pub fn registry() -> Vec<Claim<CampaignModel>> {
        vec![
            Claim {
                name: "si-always-available",
                kind: Kind::Always,
                doc: "every SI assigned when the campaign starts stays assigned (an in-service SU with room for it, as AMF assigns by redundancy model, capacity and rank) in every reachable state, unless procedures in progress declare the outage acceptable (outageInfo: all, none, max with mayGoUnassignedSI / mustKeepAssignedSI)",
                section: "§1.1, §2.3, §5.3.3; UCS acceptableServiceOutage",
                checks: vec![Check::Always(outages_acceptable)],
                applies: has_system,
            },
            Claim {
                name: "redundancy-kept",
                kind: Kind::Always,
                doc: "no SG drops below its preferred number of in-service SUs minus one (stricter than availability; select it explicitly)",
                section: "§2.3, §5.3.3",
                checks: vec![Check::Always(|m: &C, s: &S| {
                    let (Some(sys), Some(st)) = (&m.system, &s.sys) else {
                        return true;
                    };
                    sys.sg_pref.iter().enumerate().all(|(g, pref)| {
                        let want = pref.unwrap_or_else(|| {
                            sys.world.su_sg.iter().filter(|&&x| x == g).count() as u32
                        });
                        st.in_service_sus(&sys.world, g) as u32 + 1 >= want
                    })
                })],
                applies: has_system,
            },
            Claim {
                name: "no-incompatible-hosting",
                kind: Kind::Always,
                doc: "no software runs on, and no VM migrates onto, an incompatible lower layer",
                section: "§3.1, §5.1",
                checks: vec![
                    Check::Always(hosting_compatible),
                    Check::OnStep(|m: &C, _s: &S, a: &CampAction, t: &S| {
                        match (a, &m.system, &t.sys) {
                            (CampAction::Migrate { vm, to: Some(k) }, Some(sys), Some(st)) => {
                                st.compatible_on(&sys.world, *vm as usize, *k)
                            }
                            _ => true,
                        }
                    }),
                ],
                applies: has_system,
            },
            Claim {
                name: "lower-layer-ready-for-install",
                kind: Kind::Always,
                doc: "every (un)installation on an entity runs while what hosts it runs software compatible with it",
                section: "§3.1, §3.2.2, §4.1.2",
                checks: vec![Check::OnStep(|m: &C, s: &S, a: &CampAction, _t: &S| {
                    installs_ready(m, s, a)
                })],
                applies: has_system,
            },
            Claim {
                name: "failure-escalates-to-campaign",
                kind: Kind::Eventually,
                doc: "a step Failed ends the campaign Execution Failed, a failed or undone rollback ends it Rollback Failed, and no campaign commits over either",
                section: "§4.2, §4.4.1; SMF campaign FSM (OpenSAF smfd)",
                checks: vec![
                    Check::AtEnd(|_: &C, s: &S| {
                        let failed = steps(s).any(|(_, _, st)| st == StepState::Failed);
                        let rb = steps(s).any(|(_, _, st)| {
                            matches!(
                                st,
                                StepState::RollbackFailed
                                    | StepState::RollbackUndone
                                    | StepState::RollbackPartialUndone
                            )
                        });
                        (!failed || s.camp == CampState::ExecutionFailed)
                            && (!rb || s.camp == CampState::RollbackFailed)
                    }),
                    Check::Always(|_: &C, s: &S| {
                        !matches!(s.camp, CampState::Committed | CampState::RollbackCommitted)
                            || !steps(s).any(|(_, _, st)| {
                                matches!(
                                    st,
                                    StepState::Failed
                                        | StepState::RollbackFailed
                                        | StepState::RollbackUndone
                                        | StepState::RollbackPartialUndone
                                )
                            })
                    }),
                ],
                applies: every_model,
            },
            Claim {
                name: "exec-levels-respected",
                kind: Kind::Always,
                doc: "no procedure runs a step while a procedure of a lower execution level has not completed; rollback runs by descending level",
                section: "§2.8.2; SMF campaign FSM (OpenSAF smfd)",
                checks: vec![Check::Always(|m: &C, s: &S| {
                    s.procs.iter().enumerate().all(|(p, rt)| {
                        let lvl = m.procs[p].exec_level;
                        let others = s.procs.iter().enumerate().filter(|(q, _)| *q != p);
                        match rt.st {
                            ProcState::Executing => others
                                .filter(|(q, _)| m.procs[*q].exec_level < lvl)
                                .all(|(_, o)| o.st == ProcState::Completed),
                            ProcState::RollingBack => others
                                .filter(|(q, _)| m.procs[*q].exec_level > lvl)
                                .all(|(_, o)| {
                                    matches!(o.st, ProcState::RolledBack | ProcState::Initial)
                                }),
                            _ => true,
                        }
                    })
                })],
                applies: every_model,
            },
            Claim {
                name: "success-reaches-target",
                kind: Kind::Always,
                doc: "a committed campaign completed every step and left every entity it acts on as its steps state: new software installed, old removed, IM changed, running — or, for what it removes, down and uninstalled; with a target configuration (`--target`, `generate`): every EE, SU and VM dependency list equals the target's",
                section: "§2.8, §6.5",
                checks: vec![Check::Always(|m: &C, s: &S| {
                    s.camp != CampState::Committed
                        || (steps(s).all(|(_, _, st)| st == StepState::Completed)
                            && layers_at(m, s, true)
                            && entities_as_planned(m, s))
                })],
                applies: every_model,
            },
            Claim {
                name: "rollback-restores-source",
                kind: Kind::Always,
                doc: "a rolled-back campaign leaves every entity (software, admin state, IM, what runs) and every VM's saPlmDepNames as before the campaign",
                section: "§2.8.5, §4.3",
                checks: vec![Check::Always(|m: &C, s: &S| {
                    s.camp != CampState::RollbackCommitted
                        || (layers_at(m, s, false) && entities_as_before(m, s))
                })],
                applies: every_model,
            },
            Claim {
                name: "terminates-in-final-state",
                kind: Kind::Termination,
                doc: "every run ends Committed, Execution Failed, Rollback Committed or Rollback Failed",
                section: "§2.8.2, §2.8.5; SMF campaign FSM (OpenSAF smfd)",
                checks: vec![Check::Terminates],
                applies: every_model,
            },
            Claim {
                name: "campaign-can-commit",
                kind: Kind::Reachable,
                doc: "the campaign can complete and be committed",
                section: "§2.8.2, §2.8.5; SMF campaign FSM (OpenSAF smfd)",
                checks: vec![Check::Sometimes(|_: &C, s: &S| {
                    s.camp == CampState::Committed
                })],
                applies: every_model,
            },
            Claim {
                name: "campaign-can-roll-back",
                kind: Kind::Reachable,
                doc: "the campaign can be rolled back and the rollback committed",
                section: "§2.8.5",
                checks: vec![Check::Sometimes(|_: &C, s: &S| {
                    s.camp == CampState::RollbackCommitted
                })],
                applies: every_model,
            },
        ]
    }
}

/// The claims about a campaign of procedures and steps.
pub fn campaign_registry() -> Vec<Claim<crate::campaign::model::CampaignModel>> {
    campaign_claims::registry()
}

#[cfg(test)]
mod tests {
    use crate::check::{Claim, Kind};

    /// Each claim's kind is the one its checks amount to (the verdict table must not say
    /// "always" of a claim judged at the end of runs), and no name is registered twice.
    fn consistent<M: stateright::Model>(registry: &[Claim<M>]) {
        for (i, c) in registry.iter().enumerate() {
            assert_eq!(c.kind, Kind::of(&c.checks), "{}", c.name);
            assert!(
                registry[..i].iter().all(|d| d.name != c.name),
                "{} registered twice",
                c.name
            );
        }
    }

    /// The parser takes text, not a file: comments, blank lines and a leading byte-order mark
    /// are skipped, and an unknown name is reported at its line of the named file.
    #[test]
    fn selections_parse_from_text() {
        let known = super::all_names();
        let text = "\u{feff}# the default\nreaches-completed  # a witness\n\nreaches-undone\n";
        let got = super::parse_selection("x.props", text, &known).unwrap();
        assert_eq!(got, ["reaches-completed", "reaches-undone"]);
        let err = super::parse_selection("x.props", "reaches-completed\nnope\n", &known)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.props") && err.contains('2') && err.contains("nope"),
            "{err}"
        );
        assert!(super::parse_selection("x.props", "# nothing\n", &known).is_err());
    }

    #[test]
    fn registries_are_consistent() {
        consistent(&super::step_registry());
        consistent(&super::campaign_registry());
    }
}
