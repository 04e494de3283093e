//! The IMM objects a campaign creates, modifies or deletes outside its steps, as an
//! object-level ledger (SMF's Information Model, thesis §2.8, §2.8.5; UCS `addToImm`,
//! `removeFromImm`, `immCCB` in every custom-action point), so that `success-reaches-target` and
//! `rollback-restores-source` compare every such object and attribute — any class — and name
//! the ones that differ.
//!
//! Where each change happens and how it is undone follows OpenSAF's smfd:
//! * campaign initialization (`SmfCampaignInit::execute`): `addToImm` (software bundles, AMF
//!   entity types), then the `campInitAction` CCBs; a rollback undoes the CCBs in reverse and
//!   then the `addToImm` (`SmfCampaignInit::rollback`);
//! * `procInitAction` / `procWrapupAction` of each procedure, undone by the procedure's rollback
//!   (`SmfProcState.cc` `rollbackWrapup`, `rollbackInit`);
//! * `campCompleteAction` at campaign completion, undone by a rollback from Execution Completed
//!   (`rollbackCampComplete`);
//! * at commit, `campWrapupAction` CCBs and `removeFromImm` (`executeCampWrapup`): a failing one
//!   is logged and the campaign is committed all the same, so a CCB that IMM would refuse there
//!   has no effect; after a rollback they never run (`rollbackCampWrapup` skips the CCBs).
//!
//! Every undo restores what smfd recorded when the change was made (`SmfRollbackCcb`: a create
//! is undone by a delete, a delete by a create with every attribute, a modify by the old
//! values), so the IM after any run is a function of which points are applied — the bits of
//! [`crate::system::state::SysState::im_done`], set and cleared by the effects the campaign
//! model runs — in execution order. Two procedures of one execution level run in parallel
//! (§2.8.2): if both change one object, the result would depend on their interleaving, which is
//! refused as not supported yet.
//!
//! IMM's own rules decide what a change does: creating an object that exists fails the CCB
//! (`SA_AIS_ERR_EXIST`), except for AMF type classes (`SaAmf…Type`), whose existing objects smfd
//! leaves alone without rollback data (`SmfImmUtils::doImmOperations`); modifying or deleting
//! an object that does not exist fails it (`SA_AIS_ERR_NOT_EXIST`); a delete removes the subtree.
//! A CCB that IMM refuses before commit stops the campaign in Execution Failed on every run — a
//! genuine inconsistency of the campaign with its configuration, reported with `file:line`.
//!
//! Changes the steps make (types set by target templates, entities added and removed by
//! `forAddRemove`, software) are compared through the entity state instead (`target`, the
//! properties' `entities_as_*`).

use crate::error::Error;
use crate::xml::campaign::{Campaign, CcbOp, CustomAction, CustomActionKind, ModifyKind};
use crate::xml::imm::Imm;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One IMM object as the ledger sees it: its class and attributes (multi-valued attributes as
/// sorted value lists: IMM keeps no order a campaign could rely on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImObj {
    pub class: String,
    pub attrs: BTreeMap<String, Vec<String>>,
}

/// The IM restricted to the objects the ledger touches: `None` is an absent object.
pub type ImView = BTreeMap<String, Option<ImObj>>;

#[derive(Clone, Debug, PartialEq)]
enum Change {
    Create {
        dn: String,
        obj: ImObj,
    },
    Delete {
        dn: String,
    },
    Modify {
        dn: String,
        attr: String,
        kind: ModifyKind,
        values: Vec<String>,
    },
}

/// One CCB (or `addToImm` / `removeFromImm` list): IMM applies it whole or not at all.
#[derive(Clone, Debug, PartialEq)]
struct Ccb {
    changes: Vec<Change>,
    line: usize,
    /// The element it is written as (`immCCB`, `addToImm`, `removeFromImm`).
    element: &'static str,
}

/// Where in a campaign a group of changes is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    CampInit,
    ProcInit(usize),
    /// The steps of the procedures of one execution level (index into [`Campaign::levels`]):
    /// what their `forAddRemove` scopes add and remove (used for existence only).
    Steps(usize),
    ProcWrapup(usize),
    CampComplete,
    Commit,
}

impl Point {
    fn name(self, c: &Campaign) -> String {
        match self {
            Point::CampInit => "campaign initialization".into(),
            Point::ProcInit(p) => format!("procInitAction of {}", c.procedures[p].name),
            Point::Steps(l) => format!("steps of execution level {l}"),
            Point::ProcWrapup(p) => format!("procWrapupAction of {}", c.procedures[p].name),
            Point::CampComplete => "campCompleteAction".into(),
            Point::Commit => "campaign wrap-up at commit".into(),
        }
    }
}

/// The ledger: every point with IM changes, in execution order, and the IM before the campaign
/// on the objects they touch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    /// Points before commit with changes, in the order a run applies them (bit `i` of
    /// `SysState::im_done` is `points[i]`).
    points: Vec<(Point, Vec<Ccb>)>,
    commit: Vec<Ccb>,
    /// The touched objects as the configuration has them.
    pub source: ImView,
    /// For each touched object, the attributes the campaign writes (what a target
    /// configuration is compared on: the target may set attributes the campaign leaves alone).
    written: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Names of the points (report lines).
    names: Vec<String>,
    /// Objects a step adds or removes (`forAddRemove`), and their subtrees: the entity state
    /// compares them (presence, software, dependencies), the ledger does not.
    step_managed: Vec<String>,
}

/// AMF type classes, whose existing objects smfd does not create again
/// (`IsAmfTypeClass`: "SaAmf…Type").
fn amf_type_class(class: &str) -> bool {
    class.starts_with("SaAmf") && class.ends_with("Type")
}

/// The class of an AMF entity type `addToImm/amfEntityTypes` adds, from its RDN.
fn entity_type_class(dn: &str) -> String {
    let rdns = crate::xml::imm::rdns(dn);
    let key = |r: &str| r.split('=').next().unwrap_or("").to_string();
    let first = key(rdns[0]);
    let base = |k: &str| -> Option<&'static str> {
        Some(match k {
            "safAppType" => "App",
            "safSgType" => "SG",
            "safSuType" => "SU",
            "safCompType" => "Comp",
            "safSvcType" => "Svc",
            "safCSType" => "CS",
            _ => return None,
        })
    };
    if first == "safVersion"
        && let Some(b) = rdns.get(1).and_then(|r| base(&key(r)))
    {
        return format!("SaAmf{b}Type");
    }
    if let Some(b) = base(&first) {
        return format!("SaAmf{b}BaseType");
    }
    match first.as_str() {
        "safMemberCompType" => "SaAmfSutCompType".into(),
        "safSupportedCsType" => "SaAmfCtCsType".into(),
        "safMemberCSType" => "SaAmfSvcTypeCSTypes".into(),
        "safHealthcheckKey" => "SaAmfHealthcheckType".into(),
        _ => "SaAmfType".into(),
    }
}

fn obj_of(o: &crate::xml::imm::ImmObject) -> ImObj {
    let mut attrs = BTreeMap::new();
    for a in &o.attrs {
        let mut v = a.values.clone();
        v.sort();
        attrs.insert(a.name.clone(), v);
    }
    ImObj {
        class: o.class.clone(),
        attrs,
    }
}

/// Whether `x` is `dn` or in its subtree (`\,` inside an RDN value does not separate).
fn under(x: &str, dn: &str) -> bool {
    x == dn || (x.len() > dn.len() && parent(x).is_some_and(|p| under(p, dn)))
}

fn parent(dn: &str) -> Option<&str> {
    crate::xml::imm::parent_dn(dn)
}

impl Ledger {
    /// Whether the campaign changes any object outside its steps.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty() && self.commit.is_empty()
    }

    /// How many bits `SysState::im_done` needs.
    pub fn bits(&self) -> usize {
        self.points.len()
    }

    /// The bit of `point`, if it changes the IM.
    pub fn bit(&self, point: Point) -> Option<u8> {
        self.points
            .iter()
            .position(|(p, _)| *p == point)
            .map(|i| i as u8)
    }

    /// Every bit set: what a committed campaign has applied.
    pub fn all(&self) -> u64 {
        if self.points.len() >= 64 {
            u64::MAX
        } else {
            (1u64 << self.points.len()) - 1
        }
    }

    /// Builds the ledger of campaign `c` on the configuration `source` (objects the campaign
    /// creates are not in it). `levels` lists the procedures by execution level, in execution
    /// order. `None` for `source`: no configuration objects are known (a model built without
    /// [`super::system_for`]); existence is then not checked.
    pub fn build(c: &Campaign, source: Option<&Imm>) -> Result<Ledger, Error> {
        let mut points: Vec<(Point, Vec<Ccb>)> = Vec::new();
        // Campaign initialization: addToImm, then the campInitAction CCBs.
        let mut add = Vec::new();
        for b in &c.init.bundles {
            add.push(Change::Create {
                dn: b.dn.clone(),
                obj: ImObj {
                    class: "SaSmfSwBundle".into(),
                    attrs: BTreeMap::new(),
                },
            });
        }
        for t in &c.init.entity_types {
            add.push(Change::Create {
                dn: t.clone(),
                obj: ImObj {
                    class: entity_type_class(t),
                    attrs: BTreeMap::new(),
                },
            });
        }
        let mut init = Vec::new();
        if !add.is_empty() {
            init.push(Ccb {
                element: "addToImm",
                changes: add,
                line: c.init.bundles.first().map(|b| b.line).unwrap_or(0),
            });
        }
        init.extend(ccbs(&c.file, &c.init.actions)?);
        points.push((Point::CampInit, init));
        // What each level's steps add and remove.
        let mut step_changes: Vec<Vec<Change>> = Vec::new();
        for (li, (_, procs)) in c.levels().into_iter().enumerate() {
            let mut v = Vec::new();
            for p in &procs {
                if let crate::xml::campaign::Method::SingleStep { scopes_and_steps } = &p.method {
                    for (scope, _) in scopes_and_steps {
                        if let crate::xml::campaign::Scope::AddRemove(ar) = scope {
                            for sel in &ar.removed {
                                if let crate::xml::campaign::Selector::ByName(dn) = sel {
                                    v.push(Change::Delete { dn: dn.clone() });
                                }
                            }
                            for cr in &ar.added {
                                if let Some(dn) = super::plan::created_dn(cr) {
                                    v.push(Change::Create {
                                        dn,
                                        obj: ImObj {
                                            class: cr.class.clone(),
                                            attrs: BTreeMap::new(),
                                        },
                                    });
                                }
                            }
                        }
                    }
                }
            }
            step_changes.push(v);
            let _ = li;
        }
        for (li, (_, procs)) in c.levels().into_iter().enumerate() {
            let idx: Vec<usize> = procs
                .iter()
                .map(|p| {
                    c.procedures
                        .iter()
                        .position(|q| std::ptr::eq(q, *p))
                        .expect("a procedure of the campaign")
                })
                .collect();
            for &p in &idx {
                points.push((
                    Point::ProcInit(p),
                    ccbs(&c.file, &c.procedures[p].init_actions)?,
                ));
            }
            let steps = std::mem::take(&mut step_changes[li]);
            if !steps.is_empty() {
                points.push((
                    Point::Steps(li),
                    vec![Ccb {
                        element: "forAddRemove",
                        line: 0,
                        changes: steps,
                    }],
                ));
            }
            for &p in &idx {
                points.push((
                    Point::ProcWrapup(p),
                    ccbs(&c.file, &c.procedures[p].wrapup_actions)?,
                ));
            }
        }
        points.push((
            Point::CampComplete,
            ccbs(&c.file, &c.wrapup.complete_actions)?,
        ));
        let mut commit = ccbs(&c.file, &c.wrapup.wrapup_actions)?;
        let mut remove = Vec::new();
        for t in &c.wrapup.remove_entity_types {
            remove.push(Change::Delete { dn: t.clone() });
        }
        for b in &c.wrapup.remove_bundles {
            remove.push(Change::Delete { dn: b.dn.clone() });
        }
        if !remove.is_empty() {
            commit.push(Ccb {
                element: "removeFromImm",
                changes: remove,
                line: 0, // at commit a refused change is logged, never reported
            });
        }
        points.retain(|(_, v)| !v.is_empty());
        let step_managed: Vec<String> = points
            .iter()
            .filter(|(p, _)| matches!(p, Point::Steps(_)))
            .flat_map(|(_, v)| v.iter().flat_map(|c| &c.changes))
            .map(|ch| ch.dn().to_string())
            .collect();
        let n_points = points
            .iter()
            .filter(|(p, _)| !matches!(p, Point::Steps(_)))
            .count();
        if n_points > 64 {
            return Err(Error::Xml {
                file: c.file.clone(),
                line: 0,
                element: Some("immCCB".into()),
                message: format!(
                    "{n_points} custom-action points change IMM objects; not supported yet (at most 64: the applied points are a 64-bit set)"
                ),
            });
        }
        let mut l = Ledger {
            names: points.iter().map(|(p, _)| p.name(c)).collect(),
            points,
            commit,
            source: BTreeMap::new(),
            written: BTreeMap::new(),
            step_managed,
        };
        // The objects touched, with their subtrees where deleted.
        let mut dns: Vec<String> = Vec::new();
        let all = l.points.iter().flat_map(|(_, v)| v).chain(&l.commit);
        for ccb in all {
            for ch in &ccb.changes {
                let dn = match ch {
                    Change::Create { dn, .. } | Change::Modify { dn, .. } => dn,
                    Change::Delete { dn } => {
                        if let Some(imm) = source {
                            dns.extend(
                                imm.objects()
                                    .iter()
                                    .filter(|o| under(&o.dn, dn))
                                    .map(|o| o.dn.clone()),
                            );
                        }
                        dn
                    }
                };
                dns.push(dn.clone());
            }
        }
        for dn in dns {
            let o = source.and_then(|imm| imm.get(&dn)).map(obj_of);
            l.source.insert(dn, o);
        }
        l.validate(c, source)?;
        // The steps' additions and removals served the existence checks; their objects are
        // the entity state's to compare.
        l.points.retain(|(p, _)| !matches!(p, Point::Steps(_)));
        l.names = l.points.iter().map(|(p, _)| p.name(c)).collect();
        let managed = l.step_managed.clone();
        l.source
            .retain(|dn, _| !managed.iter().any(|m| under(dn, m)));
        for (_, v) in l.points.iter_mut() {
            for ccb in v.iter_mut() {
                ccb.changes
                    .retain(|ch| !managed.iter().any(|m| under(ch.dn(), m)));
            }
        }
        for ccb in l.commit.iter_mut() {
            ccb.changes
                .retain(|ch| !managed.iter().any(|m| under(ch.dn(), m)));
        }
        l.commit.retain(|c| !c.changes.is_empty());
        for (_, v) in l.points.iter_mut() {
            v.retain(|c| !c.changes.is_empty());
        }
        l.points.retain(|(_, v)| !v.is_empty());
        l.names = l.points.iter().map(|(p, _)| p.name(c)).collect();
        let mut written: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
        for ch in l
            .points
            .iter()
            .flat_map(|(_, v)| v)
            .chain(&l.commit)
            .flat_map(|c| &c.changes)
        {
            let w = written.entry(ch.dn().to_string()).or_default();
            match ch {
                Change::Create { obj, .. } => w.extend(obj.attrs.keys().cloned()),
                Change::Modify { attr, .. } => {
                    w.insert(attr.clone());
                }
                Change::Delete { .. } => {}
            }
        }
        l.written = written;
        Ok(l)
    }

    /// Applies every point in execution order to the configuration, as IMM would, refusing a
    /// CCB IMM refuses before commit, and refuses two parallel procedures changing one object.
    fn validate(&mut self, c: &Campaign, source: Option<&Imm>) -> Result<(), Error> {
        // Parallel procedures on one object.
        let level = |p: &Point| match p {
            Point::ProcInit(i) | Point::ProcWrapup(i) => Some((c.procedures[*i].exec_level, *i)),
            _ => None,
        };
        let mut by_dn: BTreeMap<&str, Vec<(u32, usize)>> = BTreeMap::new();
        for (p, v) in &self.points {
            if let Some(lp) = level(p) {
                for ccb in v {
                    for ch in &ccb.changes {
                        by_dn.entry(ch.dn()).or_default().push(lp);
                    }
                }
            }
        }
        for (dn, ps) in &by_dn {
            for a in ps {
                if let Some(b) = ps.iter().find(|b| b.0 == a.0 && b.1 != a.1) {
                    return Err(Error::Xml {
                        file: c.file.clone(),
                        line: c.procedures[b.1].line,
                        element: Some("upgradeProcedure".into()),
                        message: format!(
                            "procedures {} and {} run in parallel (execution level {}) and both change `{dn}` in their custom actions; not supported yet (the result would depend on their interleaving)",
                            c.procedures[a.1].name, c.procedures[b.1].name, a.0
                        ),
                    });
                }
            }
        }
        let Some(imm) = source else {
            return Ok(());
        };
        let mut im = self.source.clone();
        let exists = |im: &ImView, dn: &str| match im.get(dn) {
            Some(o) => o.is_some(),
            None => imm.get(dn).is_some(),
        };
        for k in 0..self.points.len() + 1 {
            let at_commit = k == self.points.len();
            let mut kept = Vec::new();
            // What the steps add and remove was checked when they were planned.
            if !at_commit && matches!(self.points[k].0, Point::Steps(_)) {
                for ch in self.points[k].1.iter().flat_map(|c| &c.changes) {
                    apply(&mut im, ch);
                }
                continue;
            }
            let ccbs = if at_commit {
                &mut self.commit
            } else {
                &mut self.points[k].1
            };
            for mut ccb in std::mem::take(ccbs) {
                let mut trial = im.clone();
                let mut refused = None;
                let mut changes = Vec::new();
                for ch in ccb.changes.drain(..) {
                    match &ch {
                        Change::Create { dn, obj } => {
                            if exists(&trial, dn) {
                                if amf_type_class(&obj.class) {
                                    continue; // smfd skips it (no rollback data either)
                                }
                                refused = Some(format!(
                                    "creates `{dn}`, which already exists (IMM refuses the CCB: SA_AIS_ERR_EXIST)"
                                ));
                                break;
                            }
                            if let Some(p) = parent(dn)
                                && !exists(&trial, p)
                                && !dn.starts_with("safVersion=")
                            {
                                refused = Some(format!(
                                    "creates `{dn}` under `{p}`, which does not exist then (IMM refuses the CCB: SA_AIS_ERR_NOT_EXIST)"
                                ));
                                break;
                            }
                        }
                        Change::Delete { dn } | Change::Modify { dn, .. } => {
                            if !exists(&trial, dn) {
                                refused = Some(format!(
                                    "{} `{dn}`, which does not exist then (IMM refuses the CCB: SA_AIS_ERR_NOT_EXIST)",
                                    if matches!(ch, Change::Delete { .. }) {
                                        "deletes"
                                    } else {
                                        "modifies"
                                    }
                                ));
                                break;
                            }
                        }
                    }
                    apply(&mut trial, &ch);
                    changes.push(ch);
                }
                match refused {
                    None => {
                        im = trial;
                        ccb.changes = changes;
                        kept.push(ccb);
                    }
                    // At commit smfd logs the failure and commits: the CCB has no effect.
                    Some(_) if at_commit => {}
                    Some(why) => {
                        return Err(Error::Xml {
                            file: c.file.clone(),
                            line: ccb.line,
                            element: Some(ccb.element.into()),
                            message: format!(
                                "the {} {why}; the campaign would stop in Execution Failed on every run",
                                self.names[k]
                            ),
                        });
                    }
                }
            }
            *(if at_commit {
                &mut self.commit
            } else {
                &mut self.points[k].1
            }) = kept;
        }
        Ok(())
    }

    /// The touched objects with the points in `done` applied (and the commit's changes when
    /// `committed`).
    pub fn view(&self, done: u64, committed: bool) -> ImView {
        let mut im = self.source.clone();
        for (k, (_, v)) in self.points.iter().enumerate() {
            if done & (1 << k) != 0 {
                v.iter()
                    .flat_map(|c| &c.changes)
                    .for_each(|ch| apply(&mut im, ch));
            }
        }
        if committed {
            self.commit
                .iter()
                .flat_map(|c| &c.changes)
                .for_each(|ch| apply(&mut im, ch));
        }
        im
    }

    /// Where the IM with `done` applied differs from the configuration before the campaign:
    /// one line per object and attribute.
    pub fn diff_from_source(&self, done: u64, committed: bool) -> Vec<String> {
        if done == 0 && !committed {
            return Vec::new();
        }
        diff(
            &self.view(done, committed),
            &self.source,
            "before the campaign",
            None,
        )
    }

    /// Where the committed IM with `done` applied differs from `target` (see
    /// [`Ledger::target_view`]): presence of every touched object, and every attribute the
    /// campaign writes.
    pub fn diff_from_target(&self, done: u64, target: &ImView) -> Vec<String> {
        let mut now = self.view(done, true);
        now.retain(|dn, _| target.contains_key(dn));
        diff(&now, target, "in the target", Some(&self.written))
    }

    /// The points of `all` missing from `done`, named.
    pub fn missing(&self, done: u64) -> Vec<String> {
        (0..self.points.len())
            .filter(|k| done & (1 << k) == 0)
            .map(|k| format!("IMM: the changes of the {} are not applied", self.names[k]))
            .collect()
    }

    /// The target configuration's version of every touched object of a class the target
    /// describes: a target with no object of a class (e.g. no `SaSmfSwBundle`, whose bundles
    /// `smfcheck generate` derives) says nothing about the objects of that class.
    pub fn target_view(&self, target: &Imm) -> ImView {
        self.source
            .keys()
            .filter(|dn| {
                self.class_of(dn)
                    .is_some_and(|c| target.of_class(c).next().is_some())
            })
            .map(|dn| (dn.clone(), target.get(dn).map(obj_of)))
            .collect()
    }

    /// The class of a touched object: as configured, or as the campaign creates it.
    fn class_of(&self, dn: &str) -> Option<&str> {
        if let Some(Some(o)) = self.source.get(dn) {
            return Some(&o.class);
        }
        self.points
            .iter()
            .flat_map(|(_, v)| v)
            .chain(&self.commit)
            .flat_map(|c| &c.changes)
            .find_map(|ch| match ch {
                Change::Create { dn: d, obj } if d == dn => Some(obj.class.as_str()),
                _ => None,
            })
    }
}

impl Change {
    fn dn(&self) -> &str {
        match self {
            Change::Create { dn, .. } | Change::Delete { dn } | Change::Modify { dn, .. } => dn,
        }
    }
}

/// The CCBs among `actions`, as ledger changes. A create whose DN cannot be told (no attribute
/// holds `name=value` of its own name, as an RDN attribute does) is refused, never dropped.
fn ccbs(file: &str, actions: &[CustomAction]) -> Result<Vec<Ccb>, Error> {
    let mut out = Vec::new();
    for a in actions {
        let CustomActionKind::Ccb(ccb) = &a.kind else {
            continue;
        };
        let mut changes = Vec::new();
        for op in &ccb.ops {
            match op {
                CcbOp::Create(cr) => {
                    let Some(dn) = super::plan::created_dn(cr) else {
                        return Err(Error::Xml {
                            file: file.to_string(),
                            line: cr.line,
                            element: Some("create".into()),
                            message: format!(
                                "an immCCB creates an object of class {} under `{}` without an RDN attribute (one whose value is `name=…` of its own name): its DN cannot be told; not supported yet",
                                cr.class, cr.parent_dn
                            ),
                        });
                    };
                    let rdn = crate::xml::imm::rdns(&dn)[0].to_string();
                    let mut attrs = BTreeMap::new();
                    for at in &cr.attributes {
                        // The RDN attribute is the DN itself.
                        if at.values.len() == 1 && at.values[0] == rdn {
                            continue;
                        }
                        let mut v = at.values.clone();
                        v.sort();
                        attrs.insert(at.name.clone(), v);
                    }
                    changes.push(Change::Create {
                        dn,
                        obj: ImObj {
                            class: cr.class.clone(),
                            attrs,
                        },
                    });
                }
                CcbOp::Delete { dn, .. } => changes.push(Change::Delete { dn: dn.clone() }),
                CcbOp::Modify(m) => changes.extend(m.attributes.iter().map(|at| Change::Modify {
                    dn: m.dn.clone(),
                    attr: at.name.clone(),
                    kind: m.operation,
                    values: at.values.clone(),
                })),
            }
        }
        if !changes.is_empty() {
            out.push(Ccb {
                element: "immCCB",
                line: a.line,
                changes,
            });
        }
    }
    Ok(out)
}

fn apply(im: &mut ImView, ch: &Change) {
    match ch {
        Change::Create { dn, obj } => {
            im.insert(dn.clone(), Some(obj.clone()));
        }
        Change::Delete { dn } => {
            for (k, v) in im.iter_mut() {
                if under(k, dn) {
                    *v = None;
                }
            }
        }
        Change::Modify {
            dn,
            attr,
            kind,
            values,
        } => {
            if let Some(Some(o)) = im.get_mut(dn) {
                let cur = o.attrs.entry(attr.clone()).or_default();
                match kind {
                    ModifyKind::Replace => *cur = values.clone(),
                    ModifyKind::Add => cur.extend(values.iter().cloned()),
                    ModifyKind::Delete => cur.retain(|v| !values.contains(v)),
                }
                cur.sort();
                if cur.is_empty() {
                    o.attrs.remove(attr);
                }
            }
        }
    }
}

fn show(v: Option<&Vec<String>>) -> String {
    match v {
        None => "no value".into(),
        Some(v) => format!("[{}]", v.join(", ")),
    }
}

/// One line per object and attribute where `now` differs from `want` (named `what`); with
/// `only`, attributes outside each object's set are not compared.
fn diff(
    now: &ImView,
    want: &ImView,
    what: &str,
    only: Option<&BTreeMap<String, std::collections::BTreeSet<String>>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (dn, n) in now {
        let w = want.get(dn).cloned().flatten();
        match (n, &w) {
            (None, None) => {}
            (Some(o), None) => {
                let mut line = format!("IMM `{dn}`: exists ({}), not {what}", o.class);
                if let Some((a, v)) = o.attrs.iter().next() {
                    let _ = write!(line, " (attribute {a} = {})", show(Some(v)));
                }
                out.push(line);
            }
            (None, Some(o)) => {
                out.push(format!("IMM `{dn}`: missing ({}), present {what}", o.class))
            }
            (Some(o), Some(x)) => {
                let names: std::collections::BTreeSet<&String> =
                    o.attrs.keys().chain(x.attrs.keys()).collect();
                for a in names {
                    if only.is_some_and(|w| !w.get(dn).is_some_and(|w| w.contains(a))) {
                        continue;
                    }
                    let (v, y) = (o.attrs.get(a), x.attrs.get(a));
                    if v != y {
                        out.push(format!(
                            "IMM `{dn}`: attribute {a} is {}, {} {what}",
                            show(v),
                            show(y)
                        ));
                    }
                }
            }
        }
    }
    out
}
