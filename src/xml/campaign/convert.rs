//! Conversion of a campaign's DTOs into the UCS domain types ([`crate::ucs`]), pass 3 of
//! reading it: typed values are parsed and what the schema leaves to prose is checked, each error
//! citing `file:line` and the element. Conversion walks the DTOs and the element index side by
//! side (the k-th DTO child is the k-th element child), which is why it is a set of functions
//! taking the index rather than `TryFrom` impls.

use super::dto;
use crate::error::Error;
use crate::step::table::StepType;
use crate::ucs::*;
use crate::xml::position::{ElementId, Positions};

/// The campaign a document's DTOs `raw` describe; `pos` indexes the same document.
pub(super) fn campaign(pos: &Positions, raw: dto::UpgradeCampaign) -> Result<Campaign, Error> {
    Cx { pos }.campaign(raw)
}

/// The XSD's spelling of each `SaImmValueTypeT` (the schema table has checked it is one).
const VALUE_TYPES: [(&str, ValueType); 10] = [
    ("SA_IMM_ATTR_SAINT32T", ValueType::Int32),
    ("SA_IMM_ATTR_SAUINT32T", ValueType::Uint32),
    ("SA_IMM_ATTR_SAINT64T", ValueType::Int64),
    ("SA_IMM_ATTR_SAUINT64T", ValueType::Uint64),
    ("SA_IMM_ATTR_SATIMET", ValueType::Time),
    ("SA_IMM_ATTR_SANAMET", ValueType::Name),
    ("SA_IMM_ATTR_SAFLOATT", ValueType::Float),
    ("SA_IMM_ATTR_SADOUBLET", ValueType::Double),
    ("SA_IMM_ATTR_SASTRINGT", ValueType::String),
    ("SA_IMM_ATTR_SAANYT", ValueType::Any),
];

/// The XSD's spelling of each `modifyOperationT` (the schema table has checked it is one).
const MODIFY_KINDS: [(&str, ModifyKind); 3] = [
    ("SA_IMM_ATTR_VALUES_ADD", ModifyKind::Add),
    ("SA_IMM_ATTR_VALUES_DELETE", ModifyKind::Delete),
    ("SA_IMM_ATTR_VALUES_REPLACE", ModifyKind::Replace),
];

/// Conversion context: the index that gives every DTO node its element (and line).
struct Cx<'a> {
    pos: &'a Positions,
}

/// The attributes of `upgradeStep` shared by both methods.
struct StepAttrs {
    restart_option: Option<String>,
    max_retry: Option<String>,
    in_phase: Option<String>,
    locked_reduced: Option<String>,
}

impl Cx<'_> {
    /// The `k`-th child of `parent` named `name`. Pass 1 and serde have agreed on the shape
    /// already, so a miss is a bug in this module; it is still an error, not a panic.
    fn child(&self, parent: ElementId, name: &str, k: usize) -> Result<ElementId, Error> {
        self.pos.child(parent, name, k).ok_or_else(|| {
            self.pos.error(
                parent,
                format!("internal: no child `{name}` number {k} (DTO and index disagree)"),
            )
        })
    }

    /// The `k`-th element child of `parent`, whatever its name (for `$value` lists).
    fn nth_child(&self, parent: ElementId, k: usize) -> Result<ElementId, Error> {
        self.pos
            .get(parent)
            .children
            .get(k)
            .copied()
            .ok_or_else(|| {
                self.pos.error(
                    parent,
                    format!("internal: no child number {k} (DTO and index disagree)"),
                )
            })
    }

    fn u32(&self, id: ElementId, attr: &str, value: &str) -> Result<u32, Error> {
        value.trim().trim_start_matches('+').parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' does not fit an SaUint32T"),
            )
        })
    }

    fn u64(&self, id: ElementId, attr: &str, value: &str) -> Result<u64, Error> {
        value.trim().trim_start_matches('+').parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' does not fit an SaUint64T"),
            )
        })
    }

    fn i64(&self, id: ElementId, attr: &str, value: &str) -> Result<i64, Error> {
        value.trim().parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' is not an SaTimeT"),
            )
        })
    }

    fn opt_i64(
        &self,
        id: ElementId,
        attr: &str,
        value: &Option<String>,
    ) -> Result<Option<i64>, Error> {
        value.as_deref().map(|v| self.i64(id, attr, v)).transpose()
    }

    /// A 0/1 flag (SaUint32T used as a boolean).
    fn flag(
        &self,
        id: ElementId,
        attr: &str,
        value: &Option<String>,
    ) -> Result<Option<bool>, Error> {
        match value.as_deref().map(str::trim) {
            None => Ok(None),
            Some("0") => Ok(Some(false)),
            Some("1") => Ok(Some(true)),
            Some(other) => Err(self
                .pos
                .error(id, format!("attribute `{attr}`: '{other}' is not 0 or 1"))),
        }
    }

    fn campaign(&self, d: dto::UpgradeCampaign) -> Result<Campaign, Error> {
        let root = self.pos.root();
        let info = self.child(root, "campaignInfo", 0)?;
        let period = self.child(info, "campaignPeriod", 0)?;
        let expected_time = self.opt_i64(
            period,
            "saSmfCmpgExpectedTime",
            &d.info.period.expected_time,
        )?;
        let config_base = match &d.info.config_base {
            Some(c) => {
                let id = self.child(info, "configurationBase", 0)?;
                Some(self.i64(id, "saSmfCmpgConfigBase", &c.config_base)?)
            }
            None => None,
        };
        let init = self.initialization(self.child(root, "campaignInitialization", 0)?, d.init)?;
        let procedures = d
            .procedures
            .into_iter()
            .enumerate()
            .map(|(k, p)| self.procedure(self.child(root, "upgradeProcedure", k)?, p))
            .collect::<Result<Vec<_>, _>>()?;
        let wrapup = self.wrapup(self.child(root, "campaignWrapup", 0)?, d.wrapup)?;
        Ok(Campaign {
            file: self.pos.file().to_string(),
            name: d.name.trim().to_string(),
            expected_time,
            config_base,
            init,
            procedures,
            wrapup,
        })
    }

    fn initialization(
        &self,
        id: ElementId,
        d: dto::CampaignInitialization,
    ) -> Result<Initialization, Error> {
        let add = self.child(id, "addToImm", 0)?;
        let bundles = d
            .add_to_imm
            .bundles
            .into_iter()
            .enumerate()
            .map(|(k, b)| self.bundle(self.child(add, "softwareBundle", k)?, b))
            .collect::<Result<Vec<_>, _>>()?;
        let mut entity_types = Vec::new();
        let mut component_types = Vec::new();
        let mut sg_types = Vec::new();
        if let Some(types) = d.add_to_imm.entity_types {
            let types_id = self.child(add, "amfEntityTypes", 0)?;
            for (k, base) in types.base_types.into_iter().enumerate() {
                let base_id = self.nth_child(types_id, k)?;
                let (dn, versions): (String, Vec<String>) = match base {
                    dto::BaseType::Comp { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let mut names = Vec::new();
                        for (v, ct) in versions.into_iter().enumerate() {
                            let ct_id = self.child(base_id, "CompType", v)?;
                            let defaults = self.child(ct_id, "compTypeDefaults", 0)?;
                            let version_dn = format!("{},{dn}", ct.version.trim());
                            component_types.push(ComponentType {
                                dn: version_dn.clone(),
                                bundle: ct.bundle.map(|b| b.dn.trim().to_string()),
                                restart_disabled: self
                                    .flag(
                                        defaults,
                                        "saAmfCtDefDisableRestart",
                                        &ct.defaults.disable_restart,
                                    )?
                                    .unwrap_or(false),
                                line: self.pos.line(ct_id),
                            });
                            names.push(version_dn);
                        }
                        (dn, names)
                    }
                    dto::BaseType::Sg { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let mut names = Vec::new();
                        for (v, t) in versions.into_iter().enumerate() {
                            let t_id = self.child(base_id, "SGType", v)?;
                            let version_dn = format!("{},{dn}", t.version.trim());
                            sg_types.push(SgTypeDef {
                                dn: version_dn.clone(),
                                redundancy: t.redundancy.model.trim().to_string(),
                                line: self.pos.line(t_id),
                            });
                            names.push(version_dn);
                        }
                        (dn, names)
                    }
                    dto::BaseType::Su { dn, versions }
                    | dto::BaseType::App { dn, versions }
                    | dto::BaseType::Cs { dn, versions }
                    | dto::BaseType::Service { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let names = versions
                            .into_iter()
                            .map(|v| format!("{},{dn}", v.version.trim()))
                            .collect();
                        (dn, names)
                    }
                };
                entity_types.push(dn);
                entity_types.extend(versions);
            }
        }
        Ok(Initialization {
            bundles,
            entity_types,
            component_types,
            sg_types,
            callbacks_at_init: self.callbacks(id, "callbackAtInit", d.callbacks_at_init)?,
            callbacks_at_backup: self.callbacks(id, "callbackAtBackup", d.callbacks_at_backup)?,
            callbacks_at_rollback: self.callbacks(
                id,
                "callbackAtRollback",
                d.callbacks_at_rollback,
            )?,
            actions: self.actions(id, "campInitAction", d.actions)?,
        })
    }

    fn bundle(&self, id: ElementId, d: dto::SoftwareBundle) -> Result<Bundle, Error> {
        let removal = self.child(id, "removal", 0)?;
        let installation = self.child(id, "installation", 0)?;
        let remove_offline = match d.removal.offline {
            Some(o) => {
                let oid = self.child(removal, "offline", 0)?;
                Some(OfflineCli {
                    cli: cli(o.command, o.args),
                    scope: self.u32(oid, "saSmfBundleRemoveOfflineScope", &o.scope)?,
                })
            }
            None => None,
        };
        let install_offline = match d.installation.offline {
            Some(o) => {
                let oid = self.child(installation, "offline", 0)?;
                Some(OfflineCli {
                    cli: cli(o.command, o.args),
                    scope: self.u32(oid, "saSmfBundleInstallOfflineScope", &o.scope)?,
                })
            }
            None => None,
        };
        let timeout_id = self.child(id, "defaultCliTimeout", 0)?;
        Ok(Bundle {
            dn: d.name.trim().to_string(),
            remove_offline,
            remove_online: d.removal.online.map(|c| cli(c.command, c.args)),
            install_offline,
            install_online: d.installation.online.map(|c| cli(c.command, c.args)),
            default_timeout: self.opt_i64(
                timeout_id,
                "saSmfBundleDefaultCmdTimeout",
                &d.default_timeout.timeout,
            )?,
            line: self.pos.line(id),
        })
    }

    fn callbacks(
        &self,
        parent: ElementId,
        name: &str,
        d: Vec<dto::CallbackOptions>,
    ) -> Result<Vec<Callback>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, c)| self.callback(self.child(parent, name, k)?, c))
            .collect()
    }

    fn callback(&self, id: ElementId, c: dto::CallbackOptions) -> Result<Callback, Error> {
        Ok(Callback {
            label: c.label,
            time: self.opt_i64(id, "time", &c.time)?,
            string_to_pass: c.string_to_pass,
            line: self.pos.line(id),
        })
    }

    fn actions(
        &self,
        parent: ElementId,
        name: &str,
        d: Vec<dto::Action>,
    ) -> Result<Vec<CustomAction>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, a)| self.action(self.child(parent, name, k)?, a))
            .collect()
    }

    /// Resolves the xs:choice of `actionT`.
    fn action(&self, id: ElementId, a: dto::Action) -> Result<CustomAction, Error> {
        let kind = match a {
            dto::Action {
                do_admin: Some(forward),
                undo_admin: Some(undo),
                ccb: None,
                do_cli: None,
                undo_cli: None,
                callback: None,
                ref exec_envs,
            } if exec_envs.is_empty() => {
                let undo_id = self.child(id, "undoAdminOperation", 0)?;
                let do_id = self.child(id, "doAdminOperation", 0)?;
                CustomActionKind::Admin {
                    forward: self.admin(do_id, forward)?,
                    undo: self.admin(undo_id, undo)?,
                }
            }
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: Some(ccb),
                do_cli: None,
                undo_cli: None,
                callback: None,
                ref exec_envs,
            } if exec_envs.is_empty() => {
                CustomActionKind::Ccb(self.ccb(self.child(id, "immCCB", 0)?, ccb)?)
            }
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: None,
                do_cli: Some(forward),
                undo_cli: Some(undo),
                callback: None,
                exec_envs,
            } if !exec_envs.is_empty() => CustomActionKind::Cli {
                forward: cli(forward.command, forward.args),
                undo: cli(undo.command, undo.args),
                exec_envs: exec_envs.into_iter().map(exec_env).collect(),
            },
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: None,
                do_cli: None,
                undo_cli: None,
                callback: Some(c),
                ref exec_envs,
            } if exec_envs.is_empty() => {
                CustomActionKind::Callback(self.callback(self.child(id, "callback", 0)?, c)?)
            }
            _ => {
                return Err(self.pos.error(
                    id,
                    "a custom action (actionT) holds exactly one of: doAdminOperation undoAdminOperation; immCCB; doCliCommand undoCliCommand plmExecEnv+; callback",
                ));
            }
        };
        Ok(CustomAction {
            kind,
            line: self.pos.line(id),
        })
    }

    fn admin(&self, id: ElementId, d: dto::AdminOperation) -> Result<AdminOperation, Error> {
        let params = d
            .params
            .into_iter()
            .enumerate()
            .map(|(k, p)| {
                let pid = self.child(id, "param", k)?;
                Ok(AdminParam {
                    name: p.name,
                    value_type: self.value_type(pid, &p.value_type)?,
                    value: p.value,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(AdminOperation {
            object_dn: d.object_dn.map(|s| s.trim().to_string()),
            operation: d.operation.map(|s| s.trim().to_string()),
            params,
        })
    }

    fn value_type(&self, id: ElementId, s: &str) -> Result<ValueType, Error> {
        VALUE_TYPES
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                self.pos.error(
                    id,
                    format!("attribute `type`: '{s}' is not an SaImmValueTypeT"),
                )
            })
    }

    fn modify_kind(&self, id: ElementId, s: &str) -> Result<ModifyKind, Error> {
        MODIFY_KINDS
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                self.pos.error(
                    id,
                    format!("attribute `operation`: '{s}' is not a modifyOperationT"),
                )
            })
    }

    fn attributes(
        &self,
        id: ElementId,
        d: Vec<dto::Attribute>,
    ) -> Result<Vec<ImmAttribute>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, a)| {
                let aid = self.child(id, "attribute", k)?;
                Ok(ImmAttribute {
                    name: a.name,
                    value_type: self.value_type(aid, &a.value_type)?,
                    values: a.values,
                })
            })
            .collect()
    }

    fn ccb(&self, id: ElementId, d: dto::ImmCcb) -> Result<Ccb, Error> {
        let flags = self.u64(id, "ccbFlags", &d.flags)?;
        let ops = d
            .ops
            .into_iter()
            .enumerate()
            .map(|(k, op)| {
                let oid = self.nth_child(id, k)?;
                Ok(match op {
                    dto::CcbOp::Create(c) => CcbOp::Create(self.create(oid, c)?),
                    dto::CcbOp::Delete(o) => CcbOp::Delete {
                        dn: o.dn.trim().to_string(),
                        line: self.pos.line(oid),
                    },
                    dto::CcbOp::Modify(m) => CcbOp::Modify(ImmModify {
                        dn: m.dn.trim().to_string(),
                        operation: self.modify_kind(oid, &m.operation)?,
                        attributes: self.attributes(oid, m.attributes)?,
                        line: self.pos.line(oid),
                    }),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Ccb { flags, ops })
    }

    fn create(&self, id: ElementId, c: dto::ImmCreate) -> Result<ImmCreate, Error> {
        Ok(ImmCreate {
            class: c.class,
            parent_dn: c.parent.trim().to_string(),
            attributes: self.attributes(id, c.attributes)?,
            line: self.pos.line(id),
        })
    }

    fn procedure(&self, id: ElementId, d: dto::UpgradeProcedure) -> Result<Procedure, Error> {
        let exec_level = match &d.exec_level {
            Some(l) => self.u32(id, "saSmfExecLevel", l)?,
            None => 0,
        };
        let outage_info = self.child(id, "outageInfo", 0)?;
        let outage = self.outage(
            self.child(outage_info, "acceptableServiceOutage", 0)?,
            d.outage.acceptable,
        )?;
        let period = self.i64(
            self.child(outage_info, "procedurePeriod", 0)?,
            "saSmfProcPeriod",
            &d.outage.period.period,
        )?;
        let method_id = self.child(id, "upgradeMethod", 0)?;
        let method = self.method(self.nth_child(method_id, 0)?, d.method.method)?;
        Ok(Procedure {
            name: d.name.trim().to_string(),
            exec_level,
            outage,
            period,
            init_actions: self.actions(id, "procInitAction", d.init_actions)?,
            method,
            wrapup_actions: self.actions(id, "procWrapupAction", d.wrapup_actions)?,
            line: self.pos.line(id),
        })
    }

    /// Resolves `all | none | (max?, (mayGoUnassignedSI+ | mustKeepAssignedSI+)?)`.
    fn outage(&self, id: ElementId, d: dto::AcceptableServiceOutage) -> Result<Outage, Error> {
        let limited =
            d.max.is_some() || !d.may_go_unassigned.is_empty() || !d.must_keep_assigned.is_empty();
        let alternatives =
            usize::from(d.all.is_some()) + usize::from(d.none.is_some()) + usize::from(limited);
        let mixed_lists = !d.may_go_unassigned.is_empty() && !d.must_keep_assigned.is_empty();
        if alternatives > 1 || mixed_lists {
            return Err(self.pos.error(
                id,
                "acceptableServiceOutage holds exactly one of: all; none; max? followed by mayGoUnassignedSI+ or mustKeepAssignedSI+",
            ));
        }
        if d.all.is_some() {
            return Ok(Outage::All);
        }
        if d.none.is_some() {
            return Ok(Outage::None);
        }
        let max = match &d.max {
            Some(m) => {
                let mid = self.child(id, "max", 0)?;
                m.value
                    .as_deref()
                    .map(|v| self.u64(mid, "value", v))
                    .transpose()?
            }
            None => None,
        };
        // An SI entry without its attribute is schema-valid but names nothing; it is refused
        // rather than dropped, so the outage constraint checked is the one the author meant.
        let named = |name: &str, attr: &str, sis: Vec<Option<String>>| {
            sis.into_iter()
                .enumerate()
                .map(|(k, si)| {
                    let sid = self.child(id, name, k)?;
                    si.map(|s| s.trim().to_string()).ok_or_else(|| {
                        self.pos
                            .error(sid, format!("`{attr}` is missing: the element names no SI"))
                    })
                })
                .collect::<Result<Vec<_>, Error>>()
        };
        let sis = if !d.may_go_unassigned.is_empty() {
            SiConstraint::MayGoUnassigned(named(
                "mayGoUnassignedSI",
                "saSmfProcAcceptSIOutage",
                d.may_go_unassigned.into_iter().map(|s| s.si).collect(),
            )?)
        } else if !d.must_keep_assigned.is_empty() {
            SiConstraint::MustKeepAssigned(named(
                "mustKeepAssignedSI",
                "saSmfProcMustKeepSIs",
                d.must_keep_assigned.into_iter().map(|s| s.si).collect(),
            )?)
        } else {
            SiConstraint::Unrestricted
        };
        Ok(Outage::Limited { max, sis })
    }

    fn method(&self, id: ElementId, d: dto::Method) -> Result<Method, Error> {
        match d {
            dto::Method::Rolling(r) => {
                let scope_id = self.child(self.child(id, "upgradeScope", 0)?, "byTemplate", 0)?;
                let scope = self.by_template(scope_id, r.scope.by_template)?;
                let acts_on = units_of_templates(&scope.activation_unit);
                let step_id = self.child(id, "upgradeStep", 0)?;
                let attrs = StepAttrs {
                    restart_option: r.step.restart_option,
                    max_retry: r.step.max_retry,
                    in_phase: r.step.in_phase,
                    locked_reduced: r.step.locked_reduced,
                };
                // Pass 1 checked the alternation customizationTime, callback.
                let mut callbacks = Vec::new();
                let mut items = r.step.items.into_iter();
                let mut k = 0;
                while let (
                    Some(dto::RollingStepItem::Time(t)),
                    Some(dto::RollingStepItem::Callback(c)),
                ) = (items.next(), items.next())
                {
                    callbacks.push(StepCallback {
                        on_step: Some(t.on_step.count),
                        at: t.at_action.point,
                        callback: self.callback(self.nth_child(step_id, k + 1)?, c)?,
                    });
                    k += 2;
                }
                let step = self.step(step_id, attrs, acts_on, callbacks)?;
                Ok(Method::Rolling {
                    scope,
                    step,
                    disable_simultaneous_exec: self
                        .flag(
                            id,
                            "saSmfProcDisableSimultanExec",
                            &r.disable_simultaneous_exec,
                        )?
                        .unwrap_or(true),
                })
            }
            dto::Method::SingleStep(s) => {
                let mut scopes_and_steps = Vec::new();
                let mut items = s.items.into_iter().enumerate();
                while let (Some((ks, scope)), Some((kt, step))) = (items.next(), items.next()) {
                    let (dto::SingleStepItem::Scope(scope), dto::SingleStepItem::Step(step)) =
                        (scope, step)
                    else {
                        return Err(self
                            .pos
                            .error(id, "singleStepUpgrade holds upgradeScope upgradeStep pairs"));
                    };
                    let scope_id = self.nth_child(self.nth_child(id, ks)?, 0)?;
                    let scope = self.scope(scope_id, scope.scope)?;
                    let step_id = self.nth_child(id, kt)?;
                    let acts_on = match &scope {
                        Scope::AddRemove(a) => {
                            units_of_selectors(a.deactivation.iter().chain(&a.activation))
                        }
                        Scope::Modify(m) => units_of_selectors(m.activation.iter()),
                    };
                    let mut callbacks = Vec::new();
                    let mut step_items = step.items.into_iter();
                    let mut k = 0;
                    while let (
                        Some(dto::SingleStepCallbackItem::At(a)),
                        Some(dto::SingleStepCallbackItem::Callback(c)),
                    ) = (step_items.next(), step_items.next())
                    {
                        callbacks.push(StepCallback {
                            on_step: None,
                            at: a.point,
                            callback: self.callback(self.nth_child(step_id, k + 1)?, c)?,
                        });
                        k += 2;
                    }
                    let attrs = StepAttrs {
                        restart_option: step.restart_option,
                        max_retry: step.max_retry,
                        in_phase: step.in_phase,
                        locked_reduced: step.locked_reduced,
                    };
                    let step = self.step(step_id, attrs, acts_on, callbacks)?;
                    scopes_and_steps.push((scope, step));
                }
                Ok(Method::SingleStep { scopes_and_steps })
            }
        }
    }

    fn step(
        &self,
        id: ElementId,
        a: StepAttrs,
        acts_on: Units,
        callbacks: Vec<StepCallback>,
    ) -> Result<StepSpec, Error> {
        let restart_option = self
            .flag(id, "saSmfStepRestartOption", &a.restart_option)?
            .unwrap_or(false);
        let max_retry = a
            .max_retry
            .as_deref()
            .map(|v| self.u32(id, "saSmfStepMaxRetry", v))
            .transpose()?;
        let in_phase = self
            .flag(id, "saSmfStepInPhaseStep", &a.in_phase)?
            .unwrap_or(false);
        let locked_reduced = self
            .flag(id, "saSmfStepLockedReducedStep", &a.locked_reduced)?
            .unwrap_or(false);
        let marker = match (in_phase, locked_reduced) {
            (true, true) => {
                return Err(self.pos.error(
                    id,
                    "saSmfStepInPhaseStep=\"1\" and saSmfStepLockedReducedStep=\"1\" name two step types",
                ));
            }
            (true, false) => Some(StepType::InPhase),
            (false, true) => Some(StepType::LockedReduced),
            (false, false) => None,
        };
        Ok(StepSpec {
            restart_option,
            max_retry,
            marker,
            acts_on,
            callbacks,
            line: self.pos.line(id),
        })
    }

    fn by_template(&self, id: ElementId, d: dto::ByTemplate) -> Result<ByTemplate, Error> {
        let activation_unit = match d.node_template.activation_unit {
            Some(t) => templates(t),
            None => Vec::new(),
        };
        Ok(ByTemplate {
            node_template: d.node_template.dn.trim().to_string(),
            activation_unit,
            sw_remove: d
                .node_template
                .sw_remove
                .into_iter()
                .map(bundle_ref)
                .collect(),
            sw_add: d.node_template.sw_add.into_iter().map(bundle_ref).collect(),
            targets: self.targets(id, d.targets)?,
            line: self.pos.line(id),
        })
    }

    fn targets(
        &self,
        parent: ElementId,
        d: Vec<dto::TargetEntityTemplate>,
    ) -> Result<Vec<TargetEntityTemplate>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, t)| {
                let tid = self.child(parent, "targetEntityTemplate", k)?;
                let modifications = t
                    .modifications
                    .into_iter()
                    .enumerate()
                    .map(|(m, op)| {
                        let mid = self.child(tid, "modifyOperation", m)?;
                        Ok(Modification {
                            rdn: op.rdn.map(|s| s.trim().to_string()),
                            operation: self.modify_kind(mid, &op.operation)?,
                            attributes: self.attributes(mid, op.attributes)?,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(TargetEntityTemplate {
                    parent: t.parent.map(|o| o.dn.trim().to_string()),
                    type_dn: t.type_.map(|o| o.dn.trim().to_string()),
                    modifications,
                })
            })
            .collect()
    }

    fn scope(&self, id: ElementId, d: dto::Scope) -> Result<Scope, Error> {
        Ok(match d {
            dto::Scope::AddRemove(a) => {
                let act = self.child(id, "activationUnit", 0)?;
                let added = a
                    .activation
                    .added
                    .into_iter()
                    .enumerate()
                    .map(|(k, c)| self.create(self.child(act, "added", k)?, c))
                    .collect::<Result<Vec<_>, _>>()?;
                Scope::AddRemove(AddRemove {
                    deactivation: selectors(a.deactivation.acted_on),
                    removed: selectors(a.deactivation.removed),
                    sw_remove: a
                        .deactivation
                        .sw_remove
                        .into_iter()
                        .map(bundle_ref)
                        .collect(),
                    activation: selectors(a.activation.acted_on),
                    added,
                    sw_add: a.activation.sw_add.into_iter().map(bundle_ref).collect(),
                    line: self.pos.line(id),
                })
            }
            dto::Scope::Modify(m) => Scope::Modify(ForModify {
                activation: selectors(m.activation.acted_on),
                sw_remove: m.activation.sw_remove.into_iter().map(bundle_ref).collect(),
                sw_add: m.activation.sw_add.into_iter().map(bundle_ref).collect(),
                targets: self.targets(id, m.targets)?,
                line: self.pos.line(id),
            }),
        })
    }

    fn wrapup(&self, id: ElementId, d: dto::CampaignWrapup) -> Result<Wrapup, Error> {
        Ok(Wrapup {
            complete_actions: self.actions(id, "campCompleteAction", d.complete_actions)?,
            wait_to_commit: self.opt_i64(
                self.child(id, "waitToCommit", 0)?,
                "time",
                &d.wait_to_commit.time,
            )?,
            callbacks_at_commit: self.callbacks(id, "callbackAtCommit", d.callbacks_at_commit)?,
            wrapup_actions: self.actions(id, "campWrapupAction", d.wrapup_actions)?,
            wait_to_allow_new_campaign: self.opt_i64(
                self.child(id, "waitToAllowNewCampaign", 0)?,
                "time",
                &d.wait_to_allow_new_campaign.time,
            )?,
            remove_entity_types: d
                .remove_from_imm
                .entity_types
                .into_iter()
                .map(|o| o.dn.trim().to_string())
                .collect(),
            remove_bundles: d
                .remove_from_imm
                .bundles
                .into_iter()
                .map(bundle_ref)
                .collect(),
        })
    }
}

fn cli(command: String, args: Option<String>) -> Cli {
    Cli { command, args }
}

fn exec_env(e: dto::PlmExecEnv) -> ExecEnv {
    ExecEnv {
        plm_ee: e.plm_ee.map(|s| s.trim().to_string()),
        clm_node: e.clm_node.map(|s| s.trim().to_string()),
        amf_node: e.amf_node.map(|s| s.trim().to_string()),
    }
}

fn bundle_ref(b: dto::BundleRef) -> BundleRef {
    BundleRef {
        dn: b.dn.trim().to_string(),
        pathname_prefix: b.pathname_prefix,
        exec_envs: b.exec_envs.into_iter().map(exec_env).collect(),
    }
}

/// Groups `entityTemplateT`'s `(parent?, type?)*` into templates: a `type` right after a
/// `parent` belongs to it; anything else starts a new template. An empty list stays empty.
fn templates(t: dto::EntityTemplate) -> Vec<Template> {
    let mut out: Vec<Template> = Vec::new();
    for item in t.items {
        match item {
            dto::TemplateItem::Parent(o) => out.push(Template {
                parent: Some(o.dn.trim().to_string()),
                type_dn: None,
            }),
            dto::TemplateItem::Type(o) => {
                let dn = o.dn.trim().to_string();
                match out.last_mut() {
                    Some(last) if last.parent.is_some() && last.type_dn.is_none() => {
                        last.type_dn = Some(dn);
                    }
                    _ => out.push(Template {
                        parent: None,
                        type_dn: Some(dn),
                    }),
                }
            }
        }
    }
    out
}

fn selectors(list: Option<dto::EntityList>) -> Vec<Selector> {
    let mut out = Vec::new();
    for item in list.map(|l| l.items).unwrap_or_default() {
        match item {
            dto::EntityListItem::ByName(o) => out.push(Selector::ByName(o.dn.trim().to_string())),
            dto::EntityListItem::ByTemplate(t) => {
                let ts = templates(t);
                if ts.is_empty() {
                    // An empty byTemplate selects without restriction.
                    out.push(Selector::ByTemplate(Template::default()));
                }
                out.extend(ts.into_iter().map(Selector::ByTemplate));
            }
        }
    }
    out
}
