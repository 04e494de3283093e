//! Custom actions of a campaign (UCS `actionT`: `campInitAction`, `procInitAction`,
//! `procWrapupAction`, `campCompleteAction`, `campWrapupAction`) and what each does to the
//! entities smfcheck explores, at the point OpenSAF's smfd runs it and undone on rollback
//! (smfd `SmfCampaignInit::execute`/`rollback`, `SmfProcState.cc` `executeInit`,
//! `executeWrapup`, `rollbackWrapup`, `rollbackInit`, `SmfCampaignWrapup`):
//!
//! * `doAdminOperation` on an SU, an SG, an application, an AMF node or an SI (lock, unlock,
//!   lock-instantiation, unlock-instantiation, shutdown, restart), its `undoAdminOperation` on
//!   rollback;
//! * `immCCB`: `saPlmDepNames` replacements (catching and releasing VMs, §5.3.2, §6.5.1,
//!   §6.5.3), deletions of SUs and SIs (and of the SGs and applications that contain them: an IMM
//!   delete removes the subtree), creations and changes of objects no claim reads (types,
//!   CSIs, health checks, SMF bookkeeping); on rollback the CCB is reversed, so a deleted SU or
//!   SI comes back as it was when it was deleted (smfd `SmfImmDeleteOperation::PrepareRollback`
//!   keeps every persistent attribute, the admin state included);
//! * `doCliCommand` and `callback`: they change no entity smfcheck models.
//!
//! Everything else a CCB does to an entity smfcheck models (creating or deleting EEs, nodes,
//! SUs that steps then act on; changing an attribute the model reads) is refused with
//! `file:line` as not supported yet — never ignored.
//!
//! A custom action can fail (an admin operation that returns an error, a CLI command with a
//! non-zero exit, a callback answered with SA_AIS_ERR_FAILED_OPERATION). In smfd such a failure
//! ends the campaign at once: Execution Failed for campaign and procedure initialization,
//! procedure wrap-up and campaign completion, Rollback Failed for any undo, and nothing for
//! `campWrapupAction` (failures are logged and the campaign is committed). Those end states hold
//! the entities exactly as the state before the failing action — a state the exploration already
//! judges — and every claim that concerns the end of a campaign speaks of Committed and Rollback
//! Committed only, so the failure branches cannot change a verdict; they are not added as
//! transitions (documented in the README).

use super::plan::DepChange;
use crate::error::Error;
use crate::system::config::{SuId, SystemConfig};
use crate::xml::campaign::{AdminOperation, Campaign, CcbOp, CustomAction, CustomActionKind};

/// What AMF administrative operation an action performs (`SaAmfAdminOperationIdT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdminOp {
    Unlock,
    Lock,
    LockInstantiation,
    UnlockInstantiation,
    /// `SA_AMF_ADMIN_RESTART`: the entity is restarted in place (instantaneous for SUs, as for
    /// every SU restart in the model): no lasting state change.
    Restart,
}

/// What an admin operation acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AdminTarget {
    Su(SuId),
    /// An SG or an application: a set of SUs whose own admin state is not changed (index into
    /// [`Effects::groups`]).
    Group(u8),
    /// An AMF node: the SUs placed on it (≤ 128 nodes).
    Node(u8),
    Si(usize),
}

/// One custom action's effect.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// `saPlmDepNames` replaced; `before` is what the undo restores.
    Deps { change: DepChange, before: u8 },
    Admin {
        target: AdminTarget,
        op: AdminOp,
        undo: Option<(AdminTarget, AdminOp)>,
    },
    /// IMM deletions of SUs and SIs (bit sets), reversed on rollback.
    Delete { sus: u128, sis: u64 },
    /// IMM creations of SUs and SIs (bit sets), reversed on rollback. A created SU comes with
    /// the admin state its CCB gives it (AMF instantiates an unlocked one at once).
    Create { sus: u128, sis: u64 },
    /// The point's changes of IMM objects ([`super::im::Ledger`] bit) are applied; reversed on
    /// rollback.
    Im { bit: u8 },
}

/// Where a group of SUs comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub dn: String,
    pub sus: Vec<SuId>,
}

/// Every custom action's effect, by execution point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effects {
    pub camp_init: Vec<Effect>,
    pub camp_complete: Vec<Effect>,
    pub camp_wrapup: Vec<Effect>,
    pub proc_init: Vec<Vec<Effect>>,
    pub proc_wrapup: Vec<Vec<Effect>>,
    /// SG / application / node targets of admin operations (at most 64).
    pub groups: Vec<Group>,
    /// SUs and SIs a CCB creates (absent until it runs).
    pub created_sus: u128,
    pub created_sis: u64,
    /// The admin state of every group (2 bits each) and the AMF nodes locked, as configured
    /// (`saAmfSGAdminState`, `saAmfApplicationAdminState`, `saAmfNodeAdminState`).
    pub initial_group_admin: u128,
    pub initial_nodes_locked: u128,
}

/// Classes whose objects the model reads (an entity with state, or what decides one).
const MODELLED: &[&str] = &[
    "SaPlmEE",
    "SaPlmDependency",
    "SaClmNode",
    "SaAmfNode",
    "SaAmfNodeGroup",
    "SaAmfSG",
    "SaAmfSU",
    "SaAmfComp",
    "SaAmfSI",
    "SmfcheckCompatibility",
];

/// Of those, the classes a CCB may create: the entity is indexed up front
/// ([`super::plan::created_objects`]) and comes into being when the CCB runs (an SG or
/// application only groups what is created under it).
const CREATABLE: &[&str] = &["SaAmfSG", "SaAmfSU", "SaAmfComp", "SaAmfSI"];

/// Attributes the model reads, of any class (a CCB or target template that changes one
/// without the model following it is refused).
pub const READ_ATTRS: &[&str] = &[
    "saPlmEEType",
    "saPlmDepMinNumber",
    "saClmNodeEE",
    "saAmfNodeClmNode",
    "saAmfNGNodeList",
    "saAmfSGType",
    "saAmfSGSuHostNodeGroup",
    "saAmfSGNumPrefInserviceSUs",
    "saAmfSGNumPrefActiveSUs",
    "saAmfSGMaxActiveSIsperSU",
    "saAmfSUHostNodeOrNodeGroup",
    "saAmfSUType",
    "saAmfSUAdminState",
    "saAmfCompType",
    "saAmfSIProtectedbySG",
    "saAmfSIAdminState",
    "saAmfSIRank",
    "saAmfSIPrefActiveAssignments",
    "saAmfCtSwBundle",
    "saAmfSgtRedundancyModel",
    "smfcheckUpper",
    "smfcheckLower",
];

fn unsupported(file: &str, line: usize, element: &str, what: String) -> Error {
    Error::Xml {
        file: file.to_string(),
        line,
        element: Some(element.into()),
        message: format!("not supported yet by `smfcheck check`: {what}"),
    }
}

/// The planning context: the campaign, the configuration, and the groups found so far.
pub struct Planner<'a> {
    pub c: &'a Campaign,
    pub cfg: &'a SystemConfig,
    pub groups: Vec<Group>,
    pub created_sus: u128,
    pub created_sis: u64,
    pub initial_group_admin: u128,
    pub initial_nodes_locked: u128,
    /// Every DN a CCB of the campaign creates (a later create may be made under it).
    pub ccb_dns: std::collections::HashSet<String>,
    /// `saPlmDepNames` masks as the campaign initialization leaves them (for the undo of later
    /// replacements).
    pub masks: Vec<u8>,
}

impl<'a> Planner<'a> {
    pub fn new(c: &'a Campaign, cfg: &'a SystemConfig) -> Result<Self, Error> {
        let masks = cfg
            .ees
            .iter()
            .map(|e| match &e.dependency {
                Some(d) if e.is_migratable() => ((1u16 << d.configured) - 1) as u8,
                _ => 0,
            })
            .collect();
        let mut p = Planner {
            c,
            cfg,
            groups: Vec::new(),
            created_sus: 0,
            created_sis: 0,
            initial_group_admin: 0,
            initial_nodes_locked: 0,
            ccb_dns: Default::default(),
            masks,
        };
        // SGs and applications configured locked are groups from the start.
        let locked: Vec<(String, u8)> = cfg
            .sgs
            .iter()
            .filter(|g| g.admin_state != 1)
            .map(|g| (g.dn.clone(), g.admin_state))
            .chain(cfg.locked_apps.iter().map(|(d, a)| (d.clone(), *a)))
            .collect();
        for (dn, state) in locked {
            let g = p.group(&dn, 0, "configuration")?;
            p.initial_group_admin |= u128::from(state - 1) << (2 * g as u32);
        }
        for (n, node) in cfg.nodes.iter().enumerate() {
            if node.admin_state != 1 {
                if n >= 128 {
                    return Err(Error::Config {
                        origin: node.origin.clone(),
                        message: format!(
                            "`{}` is AMF node number {} and not unlocked: locked nodes are a 128-bit set",
                            node.dn,
                            n + 1
                        ),
                    });
                }
                p.initial_nodes_locked |= 1 << n;
            }
        }
        Ok(p)
    }

    /// The group of the SG or application `dn` (created on first use; at most 64).
    fn group(&mut self, dn: &str, line: usize, element: &str) -> Result<u8, Error> {
        if let Some(g) = self.groups.iter().position(|g| g.dn == dn) {
            return Ok(g as u8);
        }
        if self.groups.len() == 64 {
            return Err(unsupported(
                &self.c.file,
                line,
                element,
                "more than 64 SGs and applications locked or acted on by admin operations".into(),
            ));
        }
        let cfg = self.cfg;
        let sus = (0..cfg.sus.len())
            .filter(|&s| cfg.sus[s].dn.ends_with(&format!(",{dn}")))
            .collect();
        self.groups.push(Group {
            dn: dn.to_string(),
            sus,
        });
        Ok((self.groups.len() - 1) as u8)
    }

    /// Every effect of the campaign's custom actions.
    pub fn plan(mut self) -> Result<Effects, Error> {
        let c = self.c;
        let mut points: Vec<&[CustomAction]> = vec![&c.init.actions];
        for p in &c.procedures {
            points.push(&p.init_actions);
            points.push(&p.wrapup_actions);
        }
        points.push(&c.wrapup.complete_actions);
        points.push(&c.wrapup.wrapup_actions);
        for a in points.into_iter().flatten() {
            if let CustomActionKind::Ccb(ccb) = &a.kind {
                for op in &ccb.ops {
                    if let CcbOp::Create(cr) = op
                        && let Some(dn) = super::plan::created_dn(cr)
                    {
                        self.ccb_dns.insert(dn);
                    }
                }
            }
        }
        let camp_init = self.actions(&c.init.actions)?;
        let mut proc_init = Vec::new();
        let mut proc_wrapup = Vec::new();
        for p in &c.procedures {
            proc_init.push(self.actions(&p.init_actions)?);
            proc_wrapup.push(self.actions(&p.wrapup_actions)?);
        }
        let camp_complete = self.actions(&c.wrapup.complete_actions)?;
        let camp_wrapup = self.actions(&c.wrapup.wrapup_actions)?;
        Ok(Effects {
            camp_init,
            camp_complete,
            camp_wrapup,
            proc_init,
            proc_wrapup,
            groups: self.groups,
            created_sus: self.created_sus,
            created_sis: self.created_sis,
            initial_group_admin: self.initial_group_admin,
            initial_nodes_locked: self.initial_nodes_locked,
        })
    }

    fn actions(&mut self, actions: &[CustomAction]) -> Result<Vec<Effect>, Error> {
        let mut out = Vec::new();
        // Components deleted at this point: their SU must be deleted at the same point (as
        // OpenSAF's removal campaigns do, one CCB after the other), or what the SU runs would
        // change under it.
        let mut comps: Vec<(SuId, String, usize)> = Vec::new();
        let mut deleted: u128 = 0;
        for a in actions {
            match &a.kind {
                CustomActionKind::Admin { forward, undo } => {
                    let (target, op) = self.admin(forward, a.line, "doAdminOperation")?;
                    let undo = self.admin(undo, a.line, "undoAdminOperation")?;
                    out.push(Effect::Admin {
                        target,
                        op,
                        undo: Some(undo),
                    });
                }
                CustomActionKind::Ccb(ccb) => {
                    let mut sus = 0u128;
                    let mut sis = 0u64;
                    let mut new_sus = 0u128;
                    let mut new_sis = 0u64;
                    for op in &ccb.ops {
                        match op {
                            CcbOp::Modify(m) => {
                                if let Some(change) = super::plan::dep_change(self.c, self.cfg, op)?
                                {
                                    let before = self.masks[change.vm];
                                    self.masks[change.vm] = change.mask;
                                    out.push(Effect::Deps { change, before });
                                }
                                for at in &m.attributes {
                                    if at.name != "saPlmDepNames"
                                        && READ_ATTRS.contains(&at.name.as_str())
                                    {
                                        return Err(unsupported(
                                            &self.c.file,
                                            m.line,
                                            "modify",
                                            format!(
                                                "an immCCB that changes {} of `{}` (an attribute the model reads)",
                                                at.name, m.dn
                                            ),
                                        ));
                                    }
                                }
                            }
                            CcbOp::Create(cr) if !self.parent_exists(cr) => {
                                return Err(Error::Xml {
                                    file: self.c.file.clone(),
                                    line: cr.line,
                                    element: Some("create".into()),
                                    message: format!(
                                        "an immCCB creates a {} under `{}`, which is neither in the configuration nor created by the campaign",
                                        cr.class, cr.parent_dn
                                    ),
                                });
                            }
                            CcbOp::Create(cr) if CREATABLE.contains(&cr.class.as_str()) => {
                                let (s, i) = self.create(cr, new_sus)?;
                                new_sus |= s;
                                new_sis |= i;
                            }
                            CcbOp::Create(cr) => {
                                if MODELLED.contains(&cr.class.as_str()) {
                                    return Err(unsupported(
                                        &self.c.file,
                                        cr.line,
                                        "create",
                                        format!(
                                            "an immCCB that creates an object of class {} (an entity smfcheck models) under `{}`",
                                            cr.class, cr.parent_dn
                                        ),
                                    ));
                                }
                            }
                            CcbOp::Delete { dn, line } => {
                                let (s, i) = self.delete(dn, *line, &mut comps)?;
                                sus |= s;
                                sis |= i;
                            }
                        }
                    }
                    deleted |= sus;
                    if new_sus != 0 || new_sis != 0 {
                        self.created_sus |= new_sus;
                        self.created_sis |= new_sis;
                        out.push(Effect::Create {
                            sus: new_sus,
                            sis: new_sis,
                        });
                    }
                    if sus != 0 || sis != 0 {
                        out.push(Effect::Delete { sus, sis });
                    }
                }
                // No entity state changes: a command on some node, a callback to a user
                // process (their failures: see the module documentation).
                CustomActionKind::Cli { .. } | CustomActionKind::Callback(_) => {}
            }
        }
        if let Some((_, dn, line)) = comps.iter().find(|(s, _, _)| deleted & (1 << s) == 0) {
            return Err(unsupported(
                &self.c.file,
                *line,
                "delete",
                format!(
                    "an immCCB that deletes the component `{dn}` while its SU stays (the SU's software would change under it)"
                ),
            ));
        }
        Ok(out)
    }

    /// Whether the parent of a CCB-created object exists (IMM refuses the CCB otherwise): a
    /// root object ("=" or empty parent), an object of the configuration, or one a CCB of the
    /// campaign creates.
    fn parent_exists(&self, cr: &crate::xml::campaign::ImmCreate) -> bool {
        let p = cr.parent_dn.trim();
        p.is_empty() || p == "=" || self.cfg.dns.contains(p) || self.ccb_dns.contains(p)
    }

    /// The SU or SI a CCB creates (an SG's only effect is the SUs and SIs created under it; a
    /// component belongs to an SU created in the same CCB, or it would change what a running SU
    /// runs).
    fn create(
        &self,
        cr: &crate::xml::campaign::ImmCreate,
        created_here: u128,
    ) -> Result<(u128, u64), Error> {
        let file = &self.c.file;
        let Some(dn) = super::plan::created_dn(cr) else {
            return Err(Error::Xml {
                file: file.clone(),
                line: cr.line,
                element: Some("create".into()),
                message: format!(
                    "the {} created under `{}` has no RDN attribute (one whose value starts with `name=`)",
                    cr.class, cr.parent_dn
                ),
            });
        };
        let cfg = self.cfg;
        match cr.class.as_str() {
            "SaAmfSU" => {
                let s = cfg.su(&dn).expect("indexed by created_objects");
                if s >= 128 {
                    return Err(unsupported(
                        file,
                        cr.line,
                        "create",
                        format!("creating SU number {} `{dn}` (a 128-bit set)", s + 1),
                    ));
                }
                if self.created_sus & (1 << s) != 0 {
                    return Err(Error::Xml {
                        file: file.clone(),
                        line: cr.line,
                        element: Some("create".into()),
                        message: format!("`{dn}` is created twice by the campaign"),
                    });
                }
                Ok((1 << s, 0))
            }
            "SaAmfComp" => {
                let s = cfg.su(&cr.parent_dn);
                match s {
                    Some(s) if s < 128 && created_here & (1 << s) != 0 => Ok((0, 0)),
                    _ => Err(unsupported(
                        file,
                        cr.line,
                        "create",
                        format!(
                            "an immCCB that creates the component `{dn}` in an SU it does not create in the same CCB (the SU's software would change under it)"
                        ),
                    )),
                }
            }
            "SaAmfSI" => {
                let i = cfg
                    .sis
                    .iter()
                    .position(|x| x.dn == dn)
                    .expect("indexed by created_objects");
                if i >= 64 {
                    return Err(unsupported(
                        file,
                        cr.line,
                        "create",
                        format!("creating SI number {} `{dn}` (SIs are a 64-bit set)", i + 1),
                    ));
                }
                Ok((0, 1 << i))
            }
            _ => Ok((0, 0)),
        }
    }

    /// The SUs and SIs an IMM delete of `dn` removes (its subtree); EEs, dependencies, nodes,
    /// node groups and compatibility objects are refused.
    fn delete(
        &self,
        dn: &str,
        line: usize,
        comps: &mut Vec<(SuId, String, usize)>,
    ) -> Result<(u128, u64), Error> {
        let under = |x: &str| x == dn || x.ends_with(&format!(",{dn}"));
        let cfg = self.cfg;
        let refuse = |what: &str, x: &str| {
            Err(unsupported(
                &self.c.file,
                line,
                "delete",
                format!("an immCCB that deletes `{dn}`, which removes the {what} `{x}`"),
            ))
        };
        for e in &cfg.ees {
            if under(&e.dn) {
                return refuse("EE", &e.dn);
            }
            if let Some(d) = &e.dependency
                && under(&d.dn)
            {
                return refuse("PLM dependency", &d.dn);
            }
        }
        for n in &cfg.nodes {
            if under(&n.dn) || n.clm_node.as_deref().is_some_and(under) {
                return refuse("node", &n.dn);
            }
        }
        for g in cfg.node_groups.keys() {
            if under(g) {
                return refuse("node group", g);
            }
        }
        let mut sus = 0u128;
        for (s, su) in cfg.sus.iter().enumerate() {
            if !under(&su.dn) && su.comps.iter().any(|c| under(c)) {
                if s < 128 {
                    comps.push((s, dn.to_string(), line));
                    continue;
                }
                return refuse("component", dn);
            }
            if under(&su.dn) {
                if s >= 128 {
                    return Err(unsupported(
                        &self.c.file,
                        line,
                        "delete",
                        format!(
                            "an immCCB that deletes SU number {} `{}` (deleted SUs are a 128-bit set)",
                            s + 1,
                            su.dn
                        ),
                    ));
                }
                sus |= 1 << s;
            }
        }
        let mut sis = 0u64;
        for (i, si) in cfg.sis.iter().enumerate() {
            if under(&si.dn) {
                if i >= 64 {
                    return refuse("65th or later SI (SIs are a 64-bit set)", &si.dn);
                }
                sis |= 1 << i;
            }
        }
        Ok((sus, sis))
    }

    fn admin(
        &mut self,
        op: &AdminOperation,
        line: usize,
        element: &str,
    ) -> Result<(AdminTarget, AdminOp), Error> {
        let file = &self.c.file;
        let (Some(dn), Some(id)) = (op.object_dn.as_deref(), op.operation.as_deref()) else {
            return Err(unsupported(
                file,
                line,
                element,
                "an admin operation without objectDN and operationID".into(),
            ));
        };
        let kind = match id {
            "SA_AMF_ADMIN_UNLOCK" => AdminOp::Unlock,
            "SA_AMF_ADMIN_LOCK" | "SA_AMF_ADMIN_SHUTDOWN" | "SA_AMF_ADMIN_SHUT_DOWN" => {
                AdminOp::Lock
            }
            "SA_AMF_ADMIN_LOCK_INSTANTIATION" => AdminOp::LockInstantiation,
            "SA_AMF_ADMIN_UNLOCK_INSTANTIATION" => AdminOp::UnlockInstantiation,
            "SA_AMF_ADMIN_RESTART" => AdminOp::Restart,
            other => {
                return Err(unsupported(
                    file,
                    line,
                    element,
                    format!("admin operation {other} on `{dn}`"),
                ));
            }
        };
        let cfg = self.cfg;
        if let Some(s) = cfg.su(dn) {
            return Ok((AdminTarget::Su(s), kind));
        }
        if let Some(i) = cfg.sis.iter().position(|x| x.dn == dn) {
            if !matches!(kind, AdminOp::Lock | AdminOp::Unlock) {
                return Err(unsupported(
                    file,
                    line,
                    element,
                    format!("admin operation {id} on the SI `{dn}`"),
                ));
            }
            return Ok((AdminTarget::Si(i), kind));
        }
        if let Some(n) = cfg.node(dn) {
            if n >= 128 {
                return Err(unsupported(
                    file,
                    line,
                    element,
                    format!(
                        "an admin operation on AMF node number {} `{dn}` (a 128-bit set)",
                        n + 1
                    ),
                ));
            }
            return Ok((AdminTarget::Node(n as u8), kind));
        }
        // An SG or an application: every SU under it.
        if cfg.sg(dn).is_none() && !cfg.sgs.iter().any(|g| g.dn.ends_with(&format!(",{dn}"))) {
            return Err(Error::Xml {
                file: file.clone(),
                line,
                element: Some(element.into()),
                message: format!(
                    "admin operation {id} on `{dn}`, which is not an SU, SI, SG, application or AMF node of the configuration"
                ),
            });
        }
        let g = self.group(dn, line, element)?;
        Ok((AdminTarget::Group(g), kind))
    }
}

/// The attributes a step's target entity templates change take effect in the model only for
/// `saPlmEEType` (the new EE type, §3.1.1) and `saAmfCompType` (the components' new software);
/// any other attribute the model reads is refused, never ignored.
pub fn check_templates(
    file: &str,
    line: usize,
    targets: &[crate::xml::campaign::TargetEntityTemplate],
) -> Result<(), Error> {
    for t in targets {
        for md in &t.modifications {
            for a in &md.attributes {
                // saAmfSUType names no software (the component types carry it) and the model
                // selects activation units by the configured types, so a change of SU type has no
                // effect on what it explores; `Plan::build` refuses a campaign whose templates
                // would select by a type a step gives.
                if a.name != "saPlmEEType"
                    && a.name != "saAmfCompType"
                    && a.name != "saAmfSUType"
                    && READ_ATTRS.contains(&a.name.as_str())
                {
                    return Err(unsupported(
                        file,
                        line,
                        "targetEntityTemplate",
                        format!("a target entity template that changes {}", a.name),
                    ));
                }
            }
        }
    }
    Ok(())
}
