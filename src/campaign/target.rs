//! "The configuration after commit equals the target configuration" (thesis §6.3: the target is
//! given as a configuration; §6.5.3: the wrap-up restores the target's dependency lists) as a
//! predicate on the explored entity state, derived from the target IMM configuration itself and
//! not from what the campaign's steps say they do — so a campaign that forgets an entity, picks
//! the wrong type, leaves a VM caught or removes what the target keeps is caught.
//!
//! For every EE and SU index of the explored system (source entities and those the campaign
//! adds): present in the target ⇒ running the generation whose type is the target's `saPlmEEType`
//! (only that generation's software installed), admin state as the target says, IM changed when
//! the object is added or its attributes change; absent from the target ⇒ not running, nothing
//! installed, removed from the IM. For every migratable VM of the target, `saPlmDepNames` (the
//! allowed sponsors) equals the target's list.

use super::plan::Plan;
use crate::step::action::{LayerState, Ver};
use crate::system::config::SystemConfig;
use crate::system::state::SysState;
use crate::xml::imm::{Imm, ImmObject};

/// What one entity must look like after commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
    /// Present: running one of `gens` (bit 0 old, bit 1 new) with only its software installed.
    Present {
        gens: u8,
        locked: bool,
        running: bool,
        im_changed: bool,
        /// Whether the entity's own software is compared: an SU on an EE has none of its own
        /// (its software is in the EE's image, §7.2.3), so only what runs counts.
        sw: bool,
    },
    /// Not in the target: down, uninstalled (`sw`), and (if it was in the source) out of the IM.
    Absent { was_there: bool, sw: bool },
    /// The campaign cannot reach the target for this entity (the reason is in
    /// [`TargetExpect::unreachable`]).
    Never,
}

#[derive(Clone, Debug, Default)]
pub struct TargetExpect {
    pub ees: Vec<Want>,
    pub sus: Vec<Want>,
    /// For each EE: the allowed-sponsor mask the target's `saPlmDepNames` means (migratable VMs of
    /// the target only).
    pub deps: Vec<Option<u8>>,
    /// Why some entity can never match the target, for the report.
    pub unreachable: Vec<String>,
    /// The target's version of every IMM object the campaign's ledger touches
    /// ([`super::im::Ledger::target_view`]).
    pub im: super::im::ImView,
}

fn gen_bits(v: Ver) -> u8 {
    match v {
        Ver::Old => LayerState::OLD_ONLINE | LayerState::OLD_OFFLINE,
        Ver::New => LayerState::NEW_ONLINE | LayerState::NEW_OFFLINE,
    }
}

/// Same class and the same non-empty attribute values (order of attributes ignored).
pub(crate) fn same_object(a: Option<&ImmObject>, b: Option<&ImmObject>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let norm = |o: &ImmObject| {
                let mut v: Vec<(String, Vec<String>)> = o
                    .attrs
                    .iter()
                    .filter(|x| !x.values.is_empty())
                    .map(|x| (x.name.clone(), x.values.clone()))
                    .collect();
                v.sort();
                (o.class.clone(), v)
            };
            norm(a) == norm(b)
        }
        _ => false,
    }
}

impl Want {
    pub fn holds(&self, l: LayerState) -> bool {
        match *self {
            Want::Never => false,
            Want::Absent { was_there, sw } => {
                l.running().is_none()
                    && (!sw || l.0 & (gen_bits(Ver::Old) | gen_bits(Ver::New)) == 0)
                    && (!was_there || l.has(LayerState::IM_NEW))
            }
            Want::Present {
                gens,
                locked,
                running,
                im_changed,
                sw,
            } => {
                let gen_ok = |v: Ver| {
                    gens & (1 << v as u8) != 0
                        && (!sw || (l.0 & gen_bits(v) != 0 && l.0 & gen_bits(other(v)) == 0))
                };
                let sw_ok = match l.running() {
                    Some(v) => gen_ok(v),
                    None => gen_ok(Ver::Old) || gen_ok(Ver::New),
                };
                sw_ok
                    && l.running().is_some() == running
                    && l.has(LayerState::LOCKED) == locked
                    && (!im_changed || l.has(LayerState::IM_NEW))
            }
        }
    }
}

fn other(v: Ver) -> Ver {
    match v {
        Ver::Old => Ver::New,
        Ver::New => Ver::Old,
    }
}

impl TargetExpect {
    /// `cfg` is the explored system (source plus what the campaign adds), `source` and `target`
    /// the configurations the campaign must take one to the other.
    pub fn build(
        cfg: &SystemConfig,
        plan: &Plan,
        source: &Imm,
        target_imm: &Imm,
        target: &SystemConfig,
    ) -> TargetExpect {
        let mut x = TargetExpect {
            im: plan.ledger.target_view(target_imm),
            ..TargetExpect::default()
        };
        for (e, ee) in cfg.ees.iter().enumerate() {
            let in_source = source.get(&ee.dn).is_some();
            let want = match target.ee(&ee.dn) {
                None => Want::Absent {
                    was_there: in_source,
                    sw: true,
                },
                Some(t) => {
                    let want_type = target.ees[t].ee_type.clone();
                    let ident = &plan.ee_type[e];
                    // Software the entity does not change keeps its generation (an entity
                    // no step acts on runs "old" throughout).
                    let gens =
                        (ident.old == want_type) as u8 | (((ident.new == want_type) as u8) << 1);
                    if gens == 0 {
                        x.unreachable.push(format!(
                            "EE {}: the target's type is {}, the campaign gives it {} (before) / {} (after)",
                            ee.dn,
                            want_type.as_deref().unwrap_or("none"),
                            ident.old.as_deref().unwrap_or("none"),
                            ident.new.as_deref().unwrap_or("none"),
                        ));
                        Want::Never
                    } else {
                        let admin = target_imm
                            .get(&ee.dn)
                            .and_then(|o| o.value("saPlmEEAdminState"))
                            .map(str::trim);
                        // SaPlmEEAdminState: 1 unlocked, 2 locked, 3 locked-inactive,
                        // 4 shutting down.
                        Want::Present {
                            gens,
                            locked: matches!(admin, Some("2" | "3")),
                            running: admin != Some("3"),
                            im_changed: !same_object(source.get(&ee.dn), target_imm.get(&ee.dn)),
                            sw: true,
                        }
                    }
                }
            };
            x.ees.push(want);
            // The target's dependency list of a migratable VM, over the explored sponsor list.
            let dep = match (target.ee(&ee.dn), &ee.dependency) {
                (Some(t), Some(d)) if ee.is_migratable() => {
                    let names: Vec<&str> = target.ees[t]
                        .dependency
                        .as_ref()
                        .map(|td| {
                            td.sponsors
                                .iter()
                                .map(|&s| target.ees[s].dn.as_str())
                                .collect()
                        })
                        .unwrap_or_default();
                    let mut mask = 0u8;
                    for n in names {
                        match d.sponsors.iter().position(|&s| cfg.ees[s].dn == n) {
                            Some(k) => mask |= 1 << k,
                            None => x.unreachable.push(format!(
                                "VM {}: the target lets it run on {n}, which the campaign never makes a sponsor",
                                ee.dn
                            )),
                        }
                    }
                    Some(mask)
                }
                _ => None,
            };
            x.deps.push(dep);
        }
        for su in &cfg.sus {
            let in_source = source.get(&su.dn).is_some();
            let want = match target.su(&su.dn) {
                None => Want::Absent {
                    was_there: in_source,
                    sw: false,
                },
                Some(t) => {
                    let admin = target.sus[t].admin_state;
                    Want::Present {
                        gens: 0b11,
                        locked: admin != 1,
                        running: admin != 3,
                        im_changed: !same_object(source.get(&su.dn), target_imm.get(&su.dn)),
                        sw: false,
                    }
                }
            };
            x.sus.push(want);
        }
        x
    }

    /// The explored system state equals the target configuration.
    pub fn holds(&self, st: &SysState) -> bool {
        self.unreachable.is_empty()
            && self.ees.iter().zip(&st.ees).all(|(w, &l)| w.holds(l))
            && self.sus.iter().zip(&st.sus).all(|(w, &l)| w.holds(l))
            && self
                .deps
                .iter()
                .zip(&st.allowed)
                .all(|(w, &a)| w.is_none_or(|m| m == a))
    }

    /// The entities that differ from the target in `st`, for a report line.
    pub fn differences(&self, cfg_names: (&[String], &[String]), st: &SysState) -> Vec<String> {
        let mut out = self.unreachable.clone();
        for (i, (w, &l)) in self.ees.iter().zip(&st.ees).enumerate() {
            if !w.holds(l) {
                out.push(format!(
                    "EE {} is {l:?}, the target wants {w:?}",
                    cfg_names.0[i]
                ));
            }
        }
        for (i, (w, &l)) in self.sus.iter().zip(&st.sus).enumerate() {
            if !w.holds(l) {
                out.push(format!(
                    "SU {} is {l:?}, the target wants {w:?}",
                    cfg_names.1[i]
                ));
            }
        }
        for (i, (w, &a)) in self.deps.iter().zip(&st.allowed).enumerate() {
            if let Some(m) = w
                && *m != a
            {
                out.push(format!(
                    "VM {}: allowed sponsors {a:#b}, the target's saPlmDepNames mean {m:#b}",
                    cfg_names.0[i]
                ));
            }
        }
        out
    }
}
