//! From a parsed campaign and a system configuration to what the campaign model explores: for
//! every procedure its steps, each an embedded step (§4.1.3) whose layers are bound to the
//! entities they act on, plus the compatibility identities of every entity (old and new bundle or
//! type, §3.1) and the dependency changes of the initialisation and wrap-up (catching VMs, §5.3.2,
//! §6.5.1, §6.5.3).
//!
//! Supported so far: single-step procedures (embedded or not) whose scopes are `forModify` with
//! `actedOn/byName` units: EEs, SUs, components (their SU), AMF nodes (their EE, or the SUs on
//! them); rolling procedures over a node, node group or cluster whose activation units are the
//! nodes or SUs/components selected by type and parent on SUs with a configured host node.
//! Anything else is refused with a clear "not supported yet" error naming file:line, never
//! checked half-way.

use crate::error::Error;
use crate::step::embed::{EmbeddedStep, Purpose};
use crate::step::fsm::{Core, Semantics};
use crate::step::table::StepType;
use crate::system::config::{EeId, SuHost, SuId, SystemConfig};
use crate::system::state::{Identity, Software};
use crate::xml::campaign::{
    BundleRef, ByTemplate, Campaign, CcbOp, CustomActionKind, Method, ModifyKind, Outage,
    Procedure, Scope, Selector, StepSpec, TargetEntityTemplate, Template,
};
use crate::xml::imm::{ImmAttr, ImmFile, ImmObject, parent_dn};

/// The entities one layer of a step acts on, each with the side of the step it belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerBinding {
    pub ees: Vec<EeId>,
    pub sus: Vec<SuId>,
    pub ee_side: Vec<Side>,
    pub su_side: Vec<Side>,
    /// For each SU: the AMF node it must be placed on for this layer to act on it (a rolling
    /// step over SUs that AMF places on a node group acts on those placed on its node); `None`
    /// acts on it wherever it is.
    pub su_node: Vec<Option<usize>>,
}

/// Which unit of a step an entity is in: the deactivation unit (old entities, removed or taken
/// down), the activation unit (new or re-activated entities), or both (an entity upgraded in
/// place, `forModify` and rolling steps; a symmetric activation unit, §2.8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Both,
    Du,
    Au,
}

impl Side {
    /// Which side an action of the step tables addresses (§2.8.1: DU actions take the old
    /// entities down, AU actions bring the new ones up; software follows its generation).
    pub fn of(a: crate::step::action::Action) -> Side {
        use crate::step::action::{Action as A, Unit, Ver};
        match a {
            A::Install(_, Ver::Old) | A::Uninstall(_, Ver::Old) => Side::Du,
            A::Install(_, Ver::New) | A::Uninstall(_, Ver::New) => Side::Au,
            A::Lock(Unit::Du)
            | A::Unlock(Unit::Du)
            | A::Terminate(Unit::Du)
            | A::Instantiate(Unit::Du) => Side::Du,
            A::Lock(Unit::Au)
            | A::Unlock(Unit::Au)
            | A::Terminate(Unit::Au)
            | A::Instantiate(Unit::Au) => Side::Au,
            _ => Side::Both,
        }
    }

    /// Whether an action addressed to `action_side` reaches an entity on this side.
    pub fn reached_by(self, action_side: Side) -> bool {
        self == Side::Both || action_side == Side::Both || self == action_side
    }
}

impl LayerBinding {
    /// Whether action `a` reaches SUs of this layer: software (un)installations belong to the
    /// lowest entities a scope acts on, so when the layer holds EEs (a VM image, an OS) the SUs
    /// listed with them are taken down and up with them but install nothing themselves.
    pub fn reaches_sus(&self, a: crate::step::action::Action) -> bool {
        self.ees.is_empty() || a.installs().is_none()
    }
}

impl LayerBinding {
    fn push_ee(&mut self, e: EeId, side: Side) {
        if let Some(i) = self.ees.iter().position(|&x| x == e) {
            if self.ee_side[i] != side {
                self.ee_side[i] = Side::Both;
            }
        } else {
            self.ees.push(e);
            self.ee_side.push(side);
        }
    }
    fn push_su(&mut self, s: SuId, side: Side) {
        self.push_su_on(s, side, None);
    }
    fn push_su_on(&mut self, s: SuId, side: Side, node: Option<usize>) {
        if let Some(i) = self.sus.iter().position(|&x| x == s) {
            if self.su_side[i] != side {
                self.su_side[i] = Side::Both;
            }
            if self.su_node[i] != node {
                self.su_node[i] = None;
            }
        } else {
            self.sus.push(s);
            self.su_side.push(side);
            self.su_node.push(node);
        }
    }

    /// Whether SU number `i` of this layer is where the layer acts (`placed_on`: the AMF node
    /// it is placed on now).
    pub fn su_here(&self, i: usize, placed_on: usize) -> bool {
        self.su_node[i].is_none_or(|n| n == placed_on)
    }
}

#[derive(Clone, Debug)]
pub struct PlannedStep {
    pub core: Core,
    pub layers: Vec<LayerBinding>,
    pub line: usize,
    /// The `upgradeStep` line of each nested step (outermost first).
    pub nested_lines: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct PlannedProc {
    pub name: String,
    pub exec_level: u32,
    pub outage: Outage,
    pub steps: Vec<PlannedStep>,
    pub line: usize,
}

/// The bundles steps remove from (old) and add to (new) an entity: every `swRemove` and
/// `swAdd` of its scopes. The first step acting on an entity decides its old bundles, the last
/// its new ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bundles {
    pub old: Vec<String>,
    pub new: Vec<String>,
}

impl Bundles {
    fn merge(&mut self, old: &[String], new: &[String]) {
        if self.old.is_empty() {
            self.old = old.to_vec();
        }
        if !new.is_empty() {
            self.new = new.to_vec();
        }
    }
}

/// A change of a migratable VM's allowed sponsors (`saPlmDepNames` replaced).
#[derive(Clone, Debug, PartialEq)]
pub struct DepChange {
    pub vm: EeId,
    pub mask: u8,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub file: String,
    pub procs: Vec<PlannedProc>,
    /// The bundles the steps remove (old) and add (new) on each EE and SU.
    pub ee_ident: Vec<Bundles>,
    pub su_ident: Vec<Bundles>,
    pub ee_type: Vec<Identity>,
    /// What each EE and SU runs in each generation (filled in by [`Plan::build`] once every
    /// procedure is planned).
    pub ee_sw: Vec<Software>,
    pub su_sw: Vec<Software>,
    /// For each SU: the component types a step's target templates give its components
    /// (component index, new type).
    pub su_retype: Vec<Vec<(usize, String)>>,
    /// The types each SU and its components have when the procedure being planned starts:
    /// templates select by these. Procedures are planned by ascending execution level; the types
    /// a level's templates give take effect for the levels after it (all of a level's
    /// procedures complete before the next level starts; those of one level start together).
    cur_su_type: Vec<Option<String>>,
    cur_comp_types: Vec<Vec<Option<String>>>,
    /// Type changes of the level being planned: (SU, component or `None` for the SU, type).
    pending_types: Vec<(SuId, Option<usize>, String)>,
    /// The bundles of every component type each SU runs over the campaign (at most two
    /// software generations can be modelled).
    su_generations: Vec<Vec<Vec<Option<String>>>>,
    /// For each EE / SU: whether the step type acting on it has offline operations (what its
    /// bundles consist of; §2.8.1.2).
    pub ee_offline: Vec<bool>,
    pub su_offline: Vec<bool>,
    /// Whether a procedure already decided `ee_offline` / `su_offline`: the first procedure to
    /// act on an entity meets its source software, so its step type says what that software
    /// consists of (what that procedure's rollback reinstalls).
    offline_decided: (Vec<bool>, Vec<bool>),
    /// What the campaign's custom actions do, at each execution point.
    pub effects: super::actions::Effects,
    /// Every IMM object the campaign creates, modifies or deletes outside its steps.
    pub ledger: super::im::Ledger,
    /// Entities the campaign creates (not there before it): they start with nothing installed
    /// and not running.
    pub ee_absent: Vec<bool>,
    pub su_absent: Vec<bool>,
}

/// The DN of an object a CCB creates: its RDN attribute value (the attribute whose value starts
/// with `name=`) under its parent (OpenSAF's campaigns write a root object's parent as "=").
pub fn created_dn(cr: &crate::xml::campaign::ImmCreate) -> Option<String> {
    let rdn = cr.attributes.iter().find_map(|a| {
        a.values
            .first()
            .filter(|v| v.starts_with(&format!("{}=", a.name)))
            .cloned()
    })?;
    Some(if cr.parent_dn.is_empty() || cr.parent_dn == "=" {
        rdn
    } else {
        format!("{rdn},{}", cr.parent_dn)
    })
}

/// Classes of objects a campaign's CCBs may create that the model indexes up front (absent
/// until the CCB runs, [`super::actions`]); the others it creates are types (indexed, since what
/// it adds refers to them) or objects no claim reads.
pub const CCB_CREATED: &[&str] = &[
    "SaAmfApplication",
    "SaAmfSG",
    "SaAmfSU",
    "SaAmfComp",
    "SaAmfSI",
];

/// The entities and types a campaign adds — the `added` objects of its addition scopes, the
/// objects its CCBs create (at any execution point), the SG and component types of its
/// `amfEntityTypes` — as an IMM file to merge with the configuration, so that everything the
/// campaign will bring up has an index before exploration starts. An object's DN is its RDN
/// attribute value (the attribute whose value starts with `name=`) under its parent.
pub fn created_objects(c: &Campaign) -> ImmFile {
    fn ccb_creates(
        actions: &[crate::xml::campaign::CustomAction],
    ) -> Vec<&crate::xml::campaign::ImmCreate> {
        actions
            .iter()
            .filter_map(|a| match &a.kind {
                CustomActionKind::Ccb(ccb) => Some(ccb),
                _ => None,
            })
            .flat_map(|ccb| ccb.ops.iter())
            .filter_map(|op| match op {
                CcbOp::Create(cr) => Some(cr),
                _ => None,
            })
            .collect()
    }
    let mut creates: Vec<&crate::xml::campaign::ImmCreate> = Vec::new();
    let indexed = |cr: &&crate::xml::campaign::ImmCreate| {
        cr.class.ends_with("Type") || CCB_CREATED.contains(&cr.class.as_str())
    };
    creates.extend(ccb_creates(&c.init.actions).into_iter().filter(indexed));
    for p in &c.procedures {
        creates.extend(ccb_creates(&p.init_actions).into_iter().filter(indexed));
        creates.extend(ccb_creates(&p.wrapup_actions).into_iter().filter(indexed));
        if let Method::SingleStep { scopes_and_steps } = &p.method {
            for (scope, _) in scopes_and_steps {
                if let Scope::AddRemove(ar) = scope {
                    creates.extend(ar.added.iter());
                }
            }
        }
    }
    creates.extend(
        ccb_creates(&c.wrapup.complete_actions)
            .into_iter()
            .filter(indexed),
    );
    creates.extend(
        ccb_creates(&c.wrapup.wrapup_actions)
            .into_iter()
            .filter(indexed),
    );
    let mut types: Vec<ImmObject> = Vec::new();
    for t in &c.init.sg_types {
        types.push(ImmObject {
            class: "SaAmfSGType".into(),
            dn: t.dn.clone(),
            attrs: vec![ImmAttr {
                name: "saAmfSgtRedundancyModel".into(),
                values: vec![t.redundancy.clone()],
            }],
            file: c.file.clone(),
            line: t.line,
        });
    }
    for t in &c.init.component_types {
        types.push(ImmObject {
            class: "SaAmfCompType".into(),
            dn: t.dn.clone(),
            attrs: t
                .bundle
                .iter()
                .map(|b| ImmAttr {
                    name: "saAmfCtSwBundle".into(),
                    values: vec![b.clone()],
                })
                .collect(),
            file: c.file.clone(),
            line: t.line,
        });
    }
    let objects = creates
        .into_iter()
        .filter_map(|cr| {
            let dn = created_dn(cr)?;
            Some(ImmObject {
                class: cr.class.clone(),
                dn,
                attrs: cr
                    .attributes
                    .iter()
                    .map(|a| ImmAttr {
                        name: a.name.clone(),
                        values: a.values.clone(),
                    })
                    .collect(),
                file: c.file.clone(),
                line: cr.line,
            })
        })
        .collect();
    let mut objects: Vec<ImmObject> = objects;
    objects.extend(types);
    ImmFile {
        file: c.file.clone(),
        classes: Vec::new(),
        objects,
        from_campaign: true,
    }
}

/// Make every EE that a `saPlmDepNames` replacement of the campaign names a sponsor of that VM
/// (appended after the configured ones, which alone are allowed at the start): a campaign may let
/// a VM migrate to a VMM it adds or that was not a sponsor before (the wrap-up restores the
/// target's dependency lists, §5.3.4, §6.5.3). Names that are not EEs are left for
/// [`Plan::build`] to report.
pub fn widen_sponsors(c: &Campaign, cfg: &mut SystemConfig) {
    let mut actions: Vec<&crate::xml::campaign::CustomAction> = c.init.actions.iter().collect();
    for p in &c.procedures {
        actions.extend(p.init_actions.iter());
        actions.extend(p.wrapup_actions.iter());
    }
    actions.extend(c.wrapup.complete_actions.iter());
    actions.extend(c.wrapup.wrapup_actions.iter());
    for a in actions {
        let CustomActionKind::Ccb(ccb) = &a.kind else {
            continue;
        };
        for op in &ccb.ops {
            let CcbOp::Modify(m) = op else { continue };
            let Some(attr) = m.attributes.iter().find(|a| a.name == "saPlmDepNames") else {
                continue;
            };
            let Some(vm) = cfg
                .ees
                .iter()
                .position(|e| e.dependency.as_ref().is_some_and(|d| d.dn == m.dn))
            else {
                continue;
            };
            for v in &attr.values {
                let Some(s) = cfg.ee(v) else { continue };
                let d = cfg.ees[vm].dependency.as_mut().expect("has one");
                if !d.sponsors.contains(&s) {
                    d.sponsors.push(s);
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct PlanOptions {
    pub semantics: Semantics,
    /// saSmfStepMaxRetry when a step does not say: the XSD's 1, or OpenSAF's 0.
    pub default_max_retry: u8,
}

fn unsupported(file: &str, line: usize, what: &str) -> Error {
    Error::Xml {
        file: file.to_string(),
        line,
        element: None,
        message: format!("not supported yet by `smfcheck check`: {what}"),
    }
}

impl Plan {
    pub fn build(c: &Campaign, cfg: &SystemConfig, opts: PlanOptions) -> Result<Plan, Error> {
        let mut plan = Plan {
            file: c.file.clone(),
            procs: Vec::new(),
            ee_ident: vec![Bundles::default(); cfg.ees.len()],
            su_ident: vec![Bundles::default(); cfg.sus.len()],
            ee_type: cfg
                .ees
                .iter()
                .map(|e| Identity {
                    old: e.ee_type.clone(),
                    new: e.ee_type.clone(),
                })
                .collect(),
            ee_sw: Vec::new(),
            su_sw: Vec::new(),
            su_retype: vec![Vec::new(); cfg.sus.len()],
            cur_su_type: cfg.sus.iter().map(|s| s.su_type.clone()).collect(),
            cur_comp_types: cfg.sus.iter().map(|s| s.comp_types.clone()).collect(),
            pending_types: Vec::new(),
            su_generations: vec![Vec::new(); cfg.sus.len()],
            ee_offline: vec![true; cfg.ees.len()],
            su_offline: vec![true; cfg.sus.len()],
            offline_decided: (vec![false; cfg.ees.len()], vec![false; cfg.sus.len()]),
            effects: Default::default(),
            ledger: Default::default(),
            ee_absent: cfg
                .ees
                .iter()
                .map(|e| e.origin.starts_with(&format!("{}:", c.file)))
                .collect(),
            su_absent: cfg
                .sus
                .iter()
                .map(|s| s.origin.starts_with(&format!("{}:", c.file)))
                .collect(),
        };
        // By ascending execution level (templates select by the types earlier levels gave),
        // kept in document order.
        let mut order: Vec<usize> = (0..c.procedures.len()).collect();
        order.sort_by_key(|&k| c.procedures[k].exec_level);
        let mut planned: Vec<Option<PlannedProc>> = (0..order.len()).map(|_| None).collect();
        for (i, &k) in order.iter().enumerate() {
            planned[k] = Some(plan.procedure(c, cfg, &c.procedures[k], opts)?);
            let level_ends = order
                .get(i + 1)
                .is_none_or(|&n| c.procedures[n].exec_level != c.procedures[k].exec_level);
            if level_ends {
                plan.end_level(c, cfg, c.procedures[k].line)?;
            }
        }
        plan.procs = planned.into_iter().map(|p| p.expect("planned")).collect();
        check_references(c, cfg)?;
        plan.software(c, cfg);
        plan.effects = super::actions::Planner::new(c, cfg)?.plan()?;
        plan.ledger = super::im::Ledger::build(c, cfg.source_imm.0.as_deref())?;
        // Each point that changes IMM objects marks itself applied (and its undo unmarks it) in
        // the explored state, after its other effects.
        use super::actions::Effect;
        use super::im::Point;
        let l = &plan.ledger;
        let e = &mut plan.effects;
        let mark = |v: &mut Vec<Effect>, p: Point| {
            if let Some(bit) = l.bit(p) {
                v.push(Effect::Im { bit });
            }
        };
        mark(&mut e.camp_init, Point::CampInit);
        mark(&mut e.camp_complete, Point::CampComplete);
        for p in 0..c.procedures.len() {
            if let Some(v) = e.proc_init.get_mut(p) {
                mark(v, Point::ProcInit(p));
            }
            if let Some(v) = e.proc_wrapup.get_mut(p) {
                mark(v, Point::ProcWrapup(p));
            }
        }
        Ok(plan)
    }

    fn procedure(
        &mut self,
        c: &Campaign,
        cfg: &SystemConfig,
        p: &Procedure,
        opts: PlanOptions,
    ) -> Result<PlannedProc, Error> {
        let scopes_and_steps = match &p.method {
            Method::SingleStep { scopes_and_steps } => scopes_and_steps,
            Method::Rolling { scope, step, .. } => {
                return self.rolling(c, cfg, p, scope, step, opts);
            }
        };
        let mut layers = Vec::new();
        let mut max_retry = None;
        let mut purpose = Purpose::Upgrade;
        for (scope, spec) in scopes_and_steps {
            // (selectors with their side, bundles, target templates, line)
            let (units, sw_remove, sw_add, targets, line): (Vec<(&Selector, Side)>, _, _, _, _) =
                match scope {
                    Scope::Modify(m) => (
                        m.activation.iter().map(|x| (x, Side::Both)).collect(),
                        &m.sw_remove,
                        &m.sw_add,
                        &m.targets[..],
                        m.line,
                    ),
                    Scope::AddRemove(ar) => {
                        // §4.1.3.1 rule 2: addition and removal have their own embedding rule.
                        purpose = if ar.activation.is_empty() {
                            Purpose::Removal
                        } else {
                            Purpose::Addition
                        };
                        let du = ar.deactivation.iter().chain(&ar.removed);
                        (
                            du.map(|x| (x, Side::Du))
                                .chain(ar.activation.iter().map(|x| (x, Side::Au)))
                                .collect(),
                            &ar.sw_remove,
                            &ar.sw_add,
                            &[][..],
                            ar.line,
                        )
                    }
                };
            let mut b = LayerBinding::default();
            for (sel, side) in units {
                let dn = match sel {
                    Selector::ByName(dn) => dn,
                    // Every SU (or the SU of every component) of the configuration the template
                    // selects, by type and parent, wherever AMF placed it.
                    Selector::ByTemplate(t) => {
                        // A template may select nothing (smfd then calculates a step with
                        // empty units, which still adds, removes and installs what the scope
                        // says); one whose type is no object of the configuration fails smfd's
                        // step calculation.
                        check_template_type(c, cfg, t, line)?;
                        for s in 0..cfg.sus.len() {
                            if self.selects(t, cfg, s) {
                                b.push_su(s, side);
                            }
                        }
                        continue;
                    }
                };
                self.bind(cfg, dn, side, &mut b).ok_or_else(|| Error::Xml {
                    file: c.file.clone(),
                    line,
                    element: Some("byName".into()),
                    message: format!(
                        "`{dn}` is not an EE, SU, component, SG, application, AMF node or CLM node of the configuration"
                    ),
                })?;
            }
            // An SU a forAddRemove scope adds (or removes) on an EE the same layer brings up
            // (or takes down) comes and goes with it: AMF instantiates an unlocked SU when its
            // node joins, and its software is in the EE's image (§5.3.3, §7.2.3). Without this
            // it would be added to the IM and never run.
            if let Scope::AddRemove(ar) = scope {
                let added = ar
                    .added
                    .iter()
                    .filter(|cr| cr.class == "SaAmfSU")
                    .filter_map(created_dn)
                    .map(|dn| (dn, Side::Au));
                let removed = ar.removed.iter().filter_map(|x| match x {
                    Selector::ByName(dn) => Some((dn.clone(), Side::Du)),
                    Selector::ByTemplate(_) => None,
                });
                for (dn, side) in added.chain(removed).collect::<Vec<_>>() {
                    let Some(s) = cfg.su(&dn) else { continue };
                    if b.sus.contains(&s) {
                        continue;
                    }
                    if let SuHost::Node(n) = cfg.sus[s].host
                        && let Some(e) = cfg.nodes[n].ee
                        && b.ees.contains(&e)
                    {
                        b.push_su(s, side);
                    }
                }
            }
            // A reduced step restarts a symmetric activation unit (§2.8.1.2); a forAddRemove
            // scope's units are not symmetric (it removes and adds entities), so without a
            // marker its step is SMF's normal step whatever saSmfStepRestartOption says (as
            // smfd's step-type calculation falls back to the lock-based type for it).
            let ty = match (scope, spec.step_type()) {
                (Scope::AddRemove(_), StepType::Reduced) if spec.marker.is_none() => {
                    StepType::OutOfPhase
                }
                (_, t) => t,
            };
            let old: Vec<String> = sw_remove.iter().map(|b| b.dn.clone()).collect();
            let new: Vec<String> = sw_add.iter().map(|b| b.dn.clone()).collect();
            super::actions::check_templates(&c.file, line, targets)?;
            self.retype(cfg, targets, &mut b);
            self.identify(&b, &old, &new, &new_ee_type(targets), ty);
            if let Some(r) = spec.max_retry {
                max_retry = Some(max_retry.map_or(r, |m: u32| m.min(r)));
            }
            layers.push((ty, b));
        }
        let types = layers.iter().map(|(t, _)| *t).collect();
        let step = EmbeddedStep::new(types, purpose).map_err(|e| Error::Xml {
            file: c.file.clone(),
            line: p.line,
            element: Some("upgradeProcedure".into()),
            message: e.to_string(),
        })?;
        let max_retry = max_retry
            .map(|r| r.min(5) as u8)
            .unwrap_or(opts.default_max_retry);
        Ok(PlannedProc {
            name: p.name.clone(),
            exec_level: p.exec_level,
            outage: p.outage.clone(),
            steps: vec![PlannedStep {
                core: Core::new(step, max_retry, opts.semantics),
                layers: layers.into_iter().map(|(_, b)| b).collect(),
                line: scopes_and_steps
                    .first()
                    .map(|(_, s)| s.line)
                    .unwrap_or(p.line),
                nested_lines: scopes_and_steps.iter().map(|(_, s)| s.line).collect(),
            }],
            line: p.line,
        })
    }

    /// A rolling upgrade (§2.8.3): one step per node of the target node template, in the order of
    /// the node group, each acting on the activation unit found on that node — the entities the
    /// activation-unit templates select there, or the node itself (its EE, or the SUs on it) when
    /// there is no template. With templates, a node where nothing is selected gets a
    /// software-only step, as in OpenSAF.
    fn rolling(
        &mut self,
        c: &Campaign,
        cfg: &SystemConfig,
        p: &Procedure,
        scope: &ByTemplate,
        spec: &StepSpec,
        opts: PlanOptions,
    ) -> Result<PlannedProc, Error> {
        let nodes: Vec<usize> = if let Some(g) = cfg.node_groups.get(&scope.node_template) {
            g.clone()
        } else if let Some(n) = cfg.node(&scope.node_template) {
            vec![n]
        } else if scope.node_template.starts_with("safAmfCluster=") {
            (0..cfg.nodes.len()).collect()
        } else {
            return Err(Error::Xml {
                file: c.file.clone(),
                line: scope.line,
                element: Some("targetNodeTemplate".into()),
                message: format!(
                    "`{}` is not a node, node group or cluster of the configuration",
                    scope.node_template
                ),
            });
        };
        super::actions::check_templates(&c.file, scope.line, &scope.targets)?;
        let ty = spec.step_type();
        let old: Vec<String> = scope.sw_remove.iter().map(|b| b.dn.clone()).collect();
        let new: Vec<String> = scope.sw_add.iter().map(|b| b.dn.clone()).collect();
        let new_ee_type = new_ee_type(&scope.targets);
        let max_retry = spec
            .max_retry
            .map(|r| r.min(5) as u8)
            .unwrap_or(opts.default_max_retry);
        for t in &scope.activation_unit {
            check_template_type(c, cfg, t, scope.line)?;
        }
        let mut steps = Vec::new();
        for n in nodes {
            let mut b = LayerBinding::default();
            if scope.activation_unit.is_empty() {
                let dn = cfg.nodes[n].dn.clone();
                self.bind(cfg, &dn, Side::Both, &mut b);
            } else {
                for (s, su) in cfg.sus.iter().enumerate() {
                    if !scope
                        .activation_unit
                        .iter()
                        .any(|t| self.selects(t, cfg, s))
                    {
                        continue;
                    }
                    match &su.host {
                        SuHost::Node(h) if *h == n => b.push_su(s, Side::Both),
                        // Placed by AMF on a node group (smfd finds the activation units on each
                        // node where they are hosted when the procedure starts): the step on
                        // node n acts on the SU in the placements that put it on n; every
                        // placement is explored.
                        SuHost::AnyOf(ns) if ns.contains(&n) => {
                            b.push_su_on(s, Side::Both, Some(n))
                        }
                        _ => {}
                    }
                }
            }
            // A node where no activation unit is found gets a step that only installs and
            // removes the node template's software (smfd `calculateRollingSteps`: "On such
            // nodes only SW install/remove shall be executed"), unless there is nothing to do
            // there ("not creating step when elements are empty"). It takes no entity smfcheck
            // explores down and runs no new software (what runs a bundle is an activation
            // unit), but it can fail, be retried and undone like any step.
            if b.ees.is_empty() && b.sus.is_empty() {
                let sw_only = !(scope.sw_add.is_empty()
                    && scope.sw_remove.is_empty()
                    && scope.targets.is_empty()
                    && spec.callbacks.is_empty());
                if !sw_only || !scope.activation_unit.iter().any(|_| true) {
                    continue;
                }
                let step = EmbeddedStep::new(vec![ty], Purpose::Upgrade)?;
                steps.push(PlannedStep {
                    core: Core::new(step, max_retry, opts.semantics),
                    layers: vec![b],
                    line: spec.line,
                    nested_lines: vec![spec.line],
                });
                continue;
            }
            self.retype(cfg, &scope.targets, &mut b);
            self.identify(&b, &old, &new, &new_ee_type, ty);
            let step = EmbeddedStep::new(vec![ty], Purpose::Upgrade)?;
            steps.push(PlannedStep {
                core: Core::new(step, max_retry, opts.semantics),
                layers: vec![b],
                line: spec.line,
                nested_lines: vec![spec.line],
            });
        }
        Ok(PlannedProc {
            name: p.name.clone(),
            exec_level: p.exec_level,
            outage: p.outage.clone(),
            steps,
            line: p.line,
        })
    }

    /// The components a step's target templates give a new component type (`saAmfCompType`):
    /// those of the SUs the step acts on, and of the SUs on the nodes its EEs host (a step on a
    /// node or an OS image applies its templates to the entities of that unit, the SUs on it
    /// included). Such an SU is taken down and brought up with its EE; it comes back with the
    /// new component type's software.
    /// The types a level's templates gave take effect; an SU whose components would run a third
    /// software (old, new, and yet another) is refused: a layer has two generations.
    fn end_level(&mut self, c: &Campaign, cfg: &SystemConfig, line: usize) -> Result<(), Error> {
        let bundle_of = |t: &Option<String>| -> Option<String> {
            let t = t.as_deref()?;
            cfg.comp_type_bundles.get(t).cloned().or_else(|| {
                c.init
                    .component_types
                    .iter()
                    .find(|x| x.dn == t)
                    .and_then(|x| x.bundle.clone())
            })
        };
        let mut touched: Vec<SuId> = Vec::new();
        for (s, comp, ty) in std::mem::take(&mut self.pending_types) {
            match comp {
                Some(k) => self.cur_comp_types[s][k] = Some(ty),
                None => self.cur_su_type[s] = Some(ty),
            }
            touched.push(s);
        }
        touched.sort_unstable();
        touched.dedup();
        for s in touched {
            let sw: Vec<Option<String>> = self.cur_comp_types[s].iter().map(bundle_of).collect();
            let gens = &mut self.su_generations[s];
            if gens.is_empty() {
                gens.push(cfg.sus[s].comp_types.iter().map(bundle_of).collect());
            }
            if !gens.contains(&sw) {
                gens.push(sw);
            }
            // More than two generations can be told apart only by compatibility (software
            // identity matters to no other claim: the layer state says old or new, and a later
            // step's "new" is the latest). So a third generation is modelled as "new" when no
            // compatibility entry names any of its bundles, and refused otherwise.
            let constrained = gens
                .iter()
                .flatten()
                .flatten()
                .any(|b| cfg.compat.contains_key(b));
            if gens.len() > 2 && constrained {
                return Err(unsupported(
                    &c.file,
                    line,
                    &format!(
                        "`{}` would run a third software generation (its component types change twice, to different bundles) whose compatibility is constrained",
                        cfg.sus[s].dn
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Whether an activation-unit template selects SU `s` with the types it has now: by the
    /// SU's type or one of its components' types (a versioned type DN matches exactly, a base
    /// type DN matches every version), and by parent when the template names one.
    fn selects(&self, t: &Template, cfg: &SystemConfig, s: SuId) -> bool {
        let su = &cfg.sus[s];
        let parent_ok = t
            .parent
            .as_ref()
            .is_none_or(|p| su.dn == *p || su.dn.ends_with(&format!(",{p}")));
        parent_ok
            && (type_matches(&t.type_dn, &self.cur_su_type[s])
                || self.cur_comp_types[s]
                    .iter()
                    .any(|have| type_matches(&t.type_dn, have)))
    }

    fn retype(
        &mut self,
        cfg: &SystemConfig,
        targets: &[TargetEntityTemplate],
        b: &mut LayerBinding,
    ) {
        let attr = |name: &str| -> Vec<(&TargetEntityTemplate, &String)> {
            targets
                .iter()
                .filter_map(|t| {
                    t.modifications.iter().find_map(|md| {
                        md.attributes
                            .iter()
                            .find(|a| a.name == name)
                            .and_then(|a| a.values.first())
                            .map(|v| (t, v))
                    })
                })
                .collect()
        };
        // SU type changes: what later levels' templates select by.
        for (t, new) in attr("saAmfSUType") {
            for s in b.sus.clone() {
                let su = &cfg.sus[s];
                let parent_ok = t
                    .parent
                    .as_ref()
                    .is_none_or(|p| su.dn == *p || su.dn.ends_with(&format!(",{p}")));
                if parent_ok && type_matches(&t.type_dn, &self.cur_su_type[s]) {
                    self.pending_types.push((s, None, new.clone()));
                }
            }
        }
        let changes = attr("saAmfCompType");
        if changes.is_empty() {
            return;
        }
        let hosted: Vec<(SuId, Side)> = b
            .ees
            .iter()
            .zip(&b.ee_side)
            .flat_map(|(&e, &side)| {
                (0..cfg.sus.len())
                    .filter(move |&s| match cfg.sus[s].host {
                        SuHost::Node(n) => cfg.nodes[n].ee == Some(e),
                        SuHost::AnyOf(_) => false,
                    })
                    .map(move |s| (s, side))
            })
            .collect();
        let acted: Vec<(SuId, Side)> = b
            .sus
            .iter()
            .copied()
            .zip(b.su_side.iter().copied())
            .chain(hosted.iter().copied())
            .collect();
        for (s, side) in acted {
            let su = &cfg.sus[s];
            let mut hit = false;
            let parent_ok = |t: &TargetEntityTemplate| {
                t.parent
                    .as_ref()
                    .is_none_or(|p| su.dn == *p || su.dn.ends_with(&format!(",{p}")))
            };
            for (t, new) in &changes {
                if !parent_ok(t) {
                    continue;
                }
                // A template of the SU's type gives every component of the SU the new type; one
                // of a component type gives it to the components of that type.
                let whole_su =
                    t.type_dn.is_some() && type_matches(&t.type_dn, &self.cur_su_type[s]);
                for k in 0..self.cur_comp_types[s].len() {
                    if whole_su || type_matches(&t.type_dn, &self.cur_comp_types[s][k]) {
                        self.su_retype[s].retain(|(c, _)| *c != k);
                        self.su_retype[s].push((k, (*new).clone()));
                        self.pending_types.push((s, Some(k), (*new).clone()));
                        hit = true;
                    }
                }
            }
            if hit {
                b.push_su(s, side);
            }
        }
    }

    /// What every entity runs in each generation (compatibility, §3.1): an EE its type and the
    /// bundle a step installs on it; an SU its components' software (the `saAmfCtSwBundle` of
    /// each component type, the configuration's or one the campaign adds), less the bundle a
    /// step removes, plus the one it adds.
    fn software(&mut self, c: &Campaign, cfg: &SystemConfig) {
        let bundle_of = |t: &str| -> Option<String> {
            cfg.comp_type_bundles.get(t).cloned().or_else(|| {
                c.init
                    .component_types
                    .iter()
                    .find(|x| x.dn == t)
                    .and_then(|x| x.bundle.clone())
            })
        };
        self.ee_sw = (0..cfg.ees.len())
            .map(|e| Software {
                old: self.ee_type[e]
                    .old
                    .iter()
                    .chain(&self.ee_ident[e].old)
                    .cloned()
                    .collect(),
                new: self.ee_type[e]
                    .new
                    .iter()
                    .chain(&self.ee_ident[e].new)
                    .cloned()
                    .collect(),
                own_old: self.ee_ident[e].old.clone(),
                own_new: self.ee_ident[e].new.clone(),
            })
            .collect();
        self.su_sw = (0..cfg.sus.len())
            .map(|s| {
                let su = &cfg.sus[s];
                let comps_old: Vec<String> = su
                    .comp_types
                    .iter()
                    .filter_map(|t| t.as_deref().and_then(bundle_of))
                    .collect();
                let ident = &self.su_ident[s];
                let mut old = comps_old.clone();
                old.extend(ident.old.iter().cloned());
                let acted = !ident.new.is_empty() || !self.su_retype[s].is_empty();
                let new = if acted {
                    let mut new: Vec<String> = su
                        .comp_types
                        .iter()
                        .enumerate()
                        .filter_map(|(k, t)| {
                            match self.su_retype[s].iter().find(|(c, _)| *c == k) {
                                Some((_, nt)) => bundle_of(nt),
                                None => t.as_deref().and_then(bundle_of),
                            }
                        })
                        .filter(|b| !ident.old.contains(b))
                        .collect();
                    new.extend(ident.new.iter().cloned());
                    new
                } else {
                    old.clone()
                };
                let dedup = |mut v: Vec<String>| {
                    v.sort();
                    v.dedup();
                    v
                };
                Software {
                    old: dedup(old),
                    new: dedup(new),
                    own_old: Vec::new(),
                    own_new: Vec::new(),
                }
            })
            .collect();
    }

    fn identify(
        &mut self,
        b: &LayerBinding,
        old: &[String],
        new: &[String],
        new_ee_type: &Option<String>,
        ty: StepType,
    ) {
        for &e in &b.ees {
            self.ee_ident[e].merge(old, new);
            if let Some(t) = new_ee_type {
                self.ee_type[e].new = Some(t.clone());
            }
            if !std::mem::replace(&mut self.offline_decided.0[e], true) {
                self.ee_offline[e] = ty.has_offline();
            }
        }
        // A scope's bundles belong to the lowest entities it acts on: when it acts on EEs (a VM
        // image, an OS), the SUs it lists ride along with their EE and keep their identity.
        let sus: &[SuId] = if b.ees.is_empty() { &b.sus } else { &[] };
        for &s in sus {
            self.su_ident[s].merge(old, new);
            if !std::mem::replace(&mut self.offline_decided.1[s], true) {
                self.su_offline[s] = ty.has_offline();
            }
        }
    }

    /// Bind a DN to the entities it stands for. `None`: not an entity of the configuration.
    fn bind(&self, cfg: &SystemConfig, dn: &str, side: Side, b: &mut LayerBinding) -> Option<()> {
        if let Some(e) = cfg.ee(dn) {
            b.push_ee(e, side);
        } else if let Some(s) = cfg.su(dn) {
            b.push_su(s, side);
        } else if let Some(s) = parent_dn(dn).and_then(|p| cfg.su(p)) {
            // A component: its SU carries the state (lock, presence, type).
            b.push_su(s, side);
        } else if let Some(n) = cfg.node(dn).or_else(|| {
            cfg.nodes
                .iter()
                .position(|x| x.clm_node.as_deref() == Some(dn))
        }) {
            // An AMF node, or the CLM node it maps to (§2.4): the EE that hosts it, or the SUs
            // configured on it when it has no EE.
            match cfg.nodes[n].ee {
                Some(e) => b.push_ee(e, side),
                None => {
                    for s in (0..cfg.sus.len()).filter(|&s| cfg.sus[s].host == SuHost::Node(n)) {
                        b.push_su(s, side);
                    }
                }
            }
        } else if cfg.sg(dn).is_some()
            || cfg.sgs.iter().any(|g| g.dn.ends_with(&format!(",{dn}")))
            || dn.starts_with("safApp=") && cfg.dns.contains(dn)
        {
            // An SG or an application (also one the campaign creates): the SUs under it carry
            // the state a step changes (an application without SUs has none).
            for s in (0..cfg.sus.len()).filter(|&s| cfg.sus[s].dn.ends_with(&format!(",{dn}"))) {
                b.push_su(s, side);
            }
        } else {
            return None;
        }
        Some(())
    }
}

/// An activation-unit template naming a type that is no object of the configuration (nor one
/// the campaign adds): smfd's `calcActivationUnitsFromTemplate` cannot read the type, the step
/// calculation fails and the procedure stops in Execution Failed — a genuine inconsistency.
fn check_template_type(
    c: &Campaign,
    cfg: &SystemConfig,
    t: &crate::xml::campaign::Template,
    line: usize,
) -> Result<(), Error> {
    match &t.type_dn {
        Some(ty) if !cfg.dns.contains(ty) => Err(Error::Xml {
            file: c.file.clone(),
            line,
            element: Some("byTemplate".into()),
            message: format!(
                "the template's type `{ty}` is not an object of the configuration (nor added by the campaign): smfd cannot calculate the procedure's steps (calcActivationUnitsFromTemplate) and the campaign stops in Execution Failed"
            ),
        }),
        _ => Ok(()),
    }
}

/// What a campaign names must exist (as smfd's prerequisite checks and IMM would refuse it):
/// unique procedure names; every bundle a step adds or removes, a component type runs or the
/// wrap-up removes, declared by the configuration (`SaSmfSwBundle`) or by the campaign's
/// `addToImm`.
fn check_references(c: &Campaign, cfg: &SystemConfig) -> Result<(), Error> {
    let bad = |line: usize, element: &str, message: String| Error::Xml {
        file: c.file.clone(),
        line,
        element: Some(element.into()),
        message,
    };
    for (k, p) in c.procedures.iter().enumerate() {
        if let Some(q) = c.procedures[..k].iter().find(|q| q.name == p.name) {
            return Err(bad(
                p.line,
                "upgradeProcedure",
                format!(
                    "procedure `{}` is defined twice (first at line {})",
                    p.name, q.line
                ),
            ));
        }
    }
    let known = |dn: &str| cfg.bundles.contains(dn) || c.init.bundles.iter().any(|b| b.dn == dn);
    let missing = |dn: &str| {
        format!(
            "software bundle `{dn}` is neither an SaSmfSwBundle of the configuration nor added by the campaign's addToImm"
        )
    };
    for p in &c.procedures {
        let scopes: Vec<(&[BundleRef], &[BundleRef], usize)> = match &p.method {
            Method::Rolling { scope, .. } => vec![(&scope.sw_add, &scope.sw_remove, scope.line)],
            Method::SingleStep { scopes_and_steps } => scopes_and_steps
                .iter()
                .map(|(scope, _)| match scope {
                    Scope::Modify(m) => (&m.sw_add[..], &m.sw_remove[..], m.line),
                    Scope::AddRemove(a) => (&a.sw_add[..], &a.sw_remove[..], a.line),
                })
                .collect(),
        };
        for (add, remove, line) in scopes {
            for (list, element) in [(add, "swAdd"), (remove, "swRemove")] {
                if let Some(b) = list.iter().find(|b| !known(&b.dn)) {
                    return Err(bad(line, element, missing(&b.dn)));
                }
            }
        }
    }
    for b in &c.wrapup.remove_bundles {
        if !known(&b.dn) {
            return Err(bad(
                c.procedures.last().map_or(1, |p| p.line),
                "softwareBundleDN",
                missing(&b.dn),
            ));
        }
    }
    for t in &c.init.component_types {
        if let Some(b) = &t.bundle
            && !known(b)
        {
            return Err(bad(t.line, "swBundle", missing(b)));
        }
    }
    for su in &cfg.sus {
        for t in su.comp_types.iter().flatten() {
            if let Some(b) = cfg.comp_type_bundles.get(t)
                && !known(b)
            {
                return Err(Error::Config {
                    origin: su.origin.clone(),
                    message: format!(
                        "`{}` runs component type `{t}`, whose saAmfCtSwBundle: {}",
                        su.dn,
                        missing(b)
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The new EE type a target entity template sets (`saPlmEEType`), if any.
fn new_ee_type(targets: &[TargetEntityTemplate]) -> Option<String> {
    targets.iter().find_map(|t| {
        t.modifications.iter().find_map(|md| {
            md.attributes
                .iter()
                .find(|a| a.name == "saPlmEEType")
                .and_then(|a| a.values.first().cloned())
        })
    })
}

/// Whether a template's type (`None`: any) matches an entity's type: a versioned type DN
/// exactly, a base type DN every version of it.
fn type_matches(want: &Option<String>, have: &Option<String>) -> bool {
    match (want, have) {
        (None, _) => true,
        (Some(w), Some(h)) => h == w || h.ends_with(&format!(",{w}")),
        (Some(_), None) => false,
    }
}

/// A `saPlmDepNames` replacement on a migratable VM's dependency object (catching, §5.3.2).
pub(crate) fn dep_change(
    c: &Campaign,
    cfg: &SystemConfig,
    op: &CcbOp,
) -> Result<Option<DepChange>, Error> {
    let CcbOp::Modify(m) = op else {
        return Ok(None);
    };
    let Some(attr) = m.attributes.iter().find(|a| a.name == "saPlmDepNames") else {
        return Ok(None);
    };
    let Some(vm) = cfg
        .ees
        .iter()
        .position(|e| e.dependency.as_ref().is_some_and(|d| d.dn == m.dn))
    else {
        return Err(Error::Xml {
            file: c.file.clone(),
            line: m.line,
            element: Some("modify".into()),
            message: format!("`{}` is not a dependency object of the configuration", m.dn),
        });
    };
    if m.operation != ModifyKind::Replace || !cfg.ees[vm].is_migratable() {
        return Err(unsupported(
            &c.file,
            m.line,
            "saPlmDepNames changes other than SA_IMM_ATTR_VALUES_REPLACE on a migratable VM",
        ));
    }
    let sponsors = &cfg.ees[vm].dependency.as_ref().expect("has one").sponsors;
    let mut mask = 0u8;
    for v in &attr.values {
        let k = sponsors
            .iter()
            .position(|&s| cfg.ees[s].dn == *v)
            .ok_or_else(|| {
                unsupported(
                    &c.file,
                    m.line,
                    &if cfg.ee(v).is_some() {
                        format!(
                            "a sponsor `{v}` not among the VM's sponsors (build the system with campaign::system_for, which adds the sponsors the campaign's CCBs name)"
                        )
                    } else {
                        format!("a sponsor `{v}` that is not an EE of the configuration")
                    },
                )
            })?;
        mask |= 1 << k;
    }
    Ok(Some(DepChange { vm, mask }))
}
