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
use crate::system::config::{EeId, Su, SuHost, SuId, SystemConfig};
use crate::system::state::Identity;
use crate::xml::campaign::{
    ByTemplate, Campaign, CcbOp, CustomActionKind, Method, ModifyKind, Outage, Procedure, Scope,
    Selector, StepSpec, TargetEntityTemplate, Template,
};
use crate::xml::imm::parent_dn;

/// The entities one layer of a step acts on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerBinding {
    pub ees: Vec<EeId>,
    pub sus: Vec<SuId>,
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
    pub ee_ident: Vec<Identity>,
    pub su_ident: Vec<Identity>,
    pub ee_type: Vec<Identity>,
    /// For each EE / SU: whether the step type acting on it has offline operations (what its
    /// bundles consist of; §2.8.1.2).
    pub ee_offline: Vec<bool>,
    pub su_offline: Vec<bool>,
    pub init_deps: Vec<DepChange>,
    pub wrapup_deps: Vec<DepChange>,
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
            ee_ident: vec![Identity::default(); cfg.ees.len()],
            su_ident: vec![Identity::default(); cfg.sus.len()],
            ee_type: cfg
                .ees
                .iter()
                .map(|e| Identity {
                    old: e.ee_type.clone(),
                    new: e.ee_type.clone(),
                })
                .collect(),
            ee_offline: vec![true; cfg.ees.len()],
            su_offline: vec![true; cfg.sus.len()],
            init_deps: Vec::new(),
            wrapup_deps: Vec::new(),
        };
        for p in &c.procedures {
            let planned = plan.procedure(c, cfg, p, opts)?;
            plan.procs.push(planned);
        }
        let ccbs =
            |actions: &[crate::xml::campaign::CustomAction]| -> Result<Vec<DepChange>, Error> {
                let mut out = Vec::new();
                for a in actions {
                    if let CustomActionKind::Ccb(ccb) = &a.kind {
                        for op in &ccb.ops {
                            if let Some(d) = dep_change(c, cfg, op)? {
                                out.push(d);
                            }
                        }
                    }
                }
                Ok(out)
            };
        plan.init_deps = ccbs(&c.init.actions)?;
        plan.wrapup_deps = ccbs(&c.wrapup.complete_actions)?;
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
        for (scope, spec) in scopes_and_steps {
            let Scope::Modify(m) = scope else {
                return Err(unsupported(
                    &c.file,
                    spec.line,
                    "forAddRemove scopes (only forModify so far)",
                ));
            };
            let mut b = LayerBinding::default();
            for sel in &m.activation {
                let Selector::ByName(dn) = sel else {
                    return Err(unsupported(
                        &c.file,
                        m.line,
                        "activation units selected by template",
                    ));
                };
                self.bind(cfg, dn, &mut b).ok_or_else(|| Error::Xml {
                    file: c.file.clone(),
                    line: m.line,
                    element: Some("byName".into()),
                    message: format!(
                        "`{dn}` is not an EE, SU, component or AMF node of the configuration"
                    ),
                })?;
            }
            let ty = spec.step_type();
            let old = m.sw_remove.first().map(|b| b.dn.clone());
            let new = m.sw_add.first().map(|b| b.dn.clone());
            self.identify(&b, &old, &new, &new_ee_type(&m.targets), ty);
            if let Some(r) = spec.max_retry {
                max_retry = Some(max_retry.map_or(r, |m: u32| m.min(r)));
            }
            layers.push((ty, b));
        }
        let types = layers.iter().map(|(t, _)| *t).collect();
        let step = EmbeddedStep::new(types, Purpose::Upgrade).map_err(|e| Error::Xml {
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
    /// there is no template. Nodes where nothing is selected get no step, as in OpenSAF.
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
        for su in &cfg.sus {
            if matches!(su.host, SuHost::AnyOf(_)) && !scope.activation_unit.is_empty() {
                return Err(unsupported(
                    &c.file,
                    scope.line,
                    &format!(
                        "a rolling step over SUs placed by AMF on a node group (`{}`)",
                        su.dn
                    ),
                ));
            }
        }
        let ty = spec.step_type();
        let old = scope.sw_remove.first().map(|b| b.dn.clone());
        let new = scope.sw_add.first().map(|b| b.dn.clone());
        let new_ee_type = new_ee_type(&scope.targets);
        let max_retry = spec
            .max_retry
            .map(|r| r.min(5) as u8)
            .unwrap_or(opts.default_max_retry);
        let mut steps = Vec::new();
        for n in nodes {
            let mut b = LayerBinding::default();
            if scope.activation_unit.is_empty() {
                match cfg.nodes[n].ee {
                    Some(e) => b.ees.push(e),
                    None => b
                        .sus
                        .extend((0..cfg.sus.len()).filter(|&s| cfg.sus[s].host == SuHost::Node(n))),
                }
            } else {
                for (s, su) in cfg.sus.iter().enumerate() {
                    if su.host == SuHost::Node(n)
                        && scope
                            .activation_unit
                            .iter()
                            .any(|t| template_selects(t, su))
                    {
                        b.sus.push(s);
                    }
                }
            }
            if b.ees.is_empty() && b.sus.is_empty() {
                continue;
            }
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

    fn identify(
        &mut self,
        b: &LayerBinding,
        old: &Option<String>,
        new: &Option<String>,
        new_ee_type: &Option<String>,
        ty: StepType,
    ) {
        for &e in &b.ees {
            self.ee_ident[e] = Identity {
                old: self.ee_ident[e].old.clone().or(old.clone()),
                new: new.clone().or(self.ee_ident[e].new.clone()),
            };
            if let Some(t) = new_ee_type {
                self.ee_type[e].new = Some(t.clone());
            }
            self.ee_offline[e] = ty.has_offline();
        }
        for &s in &b.sus {
            self.su_ident[s] = Identity {
                old: self.su_ident[s].old.clone().or(old.clone()),
                new: new.clone().or(self.su_ident[s].new.clone()),
            };
            self.su_offline[s] = ty.has_offline();
        }
    }

    /// Bind a DN to the entities it stands for. `None`: not an entity of the configuration.
    fn bind(&self, cfg: &SystemConfig, dn: &str, b: &mut LayerBinding) -> Option<()> {
        if let Some(e) = cfg.ee(dn) {
            b.ees.push(e);
        } else if let Some(s) = cfg.su(dn) {
            b.sus.push(s);
        } else if let Some(s) = parent_dn(dn).and_then(|p| cfg.su(p)) {
            // A component: its SU carries the state (lock, presence, type).
            if !b.sus.contains(&s) {
                b.sus.push(s);
            }
        } else if let Some(n) = cfg.node(dn) {
            match cfg.nodes[n].ee {
                Some(e) => b.ees.push(e),
                None => b
                    .sus
                    .extend((0..cfg.sus.len()).filter(|&s| cfg.sus[s].host == SuHost::Node(n))),
            }
        } else {
            return None;
        }
        Some(())
    }
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

/// Whether an activation-unit template selects SU `su`: by the SU's type or one of its
/// components' types (a versioned type DN matches exactly, a base type DN matches every version),
/// and by parent when the template names one.
fn template_selects(t: &Template, su: &Su) -> bool {
    let type_ok = |have: &Option<String>| match (&t.type_dn, have) {
        (None, _) => true,
        (Some(want), Some(h)) => h == want || h.ends_with(&format!(",{want}")),
        (Some(_), None) => false,
    };
    let parent_ok = t
        .parent
        .as_ref()
        .is_none_or(|p| su.dn == *p || su.dn.ends_with(&format!(",{p}")));
    parent_ok && (type_ok(&su.su_type) || su.comp_types.iter().any(type_ok))
}

/// A `saPlmDepNames` replacement on a migratable VM's dependency object (catching, §5.3.2).
fn dep_change(c: &Campaign, cfg: &SystemConfig, op: &CcbOp) -> Result<Option<DepChange>, Error> {
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
                    &format!(
                        "a new sponsor `{v}` that is not already a sponsor in the configuration"
                    ),
                )
            })?;
        mask |= 1 << k;
    }
    Ok(Some(DepChange { vm, mask }))
}
