//! The campaign models under `models/` (thesis §2.7, §3.2, §4.1, §5.3, §7.2): every campaign
//! parses with the XSD content-model check; every configuration parses and merges with its
//! `compat.xml`, uses only OpenSAF's classes and attributes (and ours, `SmfcheckCompatibility`)
//! and resolves every DN it names. Each campaign is then applied to the information model in
//! execution order (initialization, procedures by execution level, wrap-up): every DN it names
//! must exist when it is needed (an acted-on unit before its step, an added one after it), each
//! target entity template must select something, each attribute must have its class's type, the
//! end state must resolve every DN, and where the folder has a `target.xml` the end state must be
//! exactly it. Embedded steps obey the rules of embedding (§4.1.3.1), or break the rule they are
//! written to break, and the structural facts the folders' READMEs state are pinned.
//!
//! OpenSAF's class files come from the OpenSAF source tree that `SMFCHECK_OPENSAF` names. Without
//! it the campaigns are still applied, but attribute types are checked against smfcheck's own
//! table of them (`smfcheck::generate::attr_types`, generated from the same class files), and
//! the class names and RDN attribute names of OpenSAF classes are not checked.

use smfcheck::generate::attr_types::ATTR_TYPES;
use smfcheck::step::embed::{EmbedError, EmbeddedStep, Purpose};
use smfcheck::step::table::StepType::{self, InPhase, OutOfPhase, Reduced};
use smfcheck::system::config::{Redundancy, SuHost, SystemConfig};
use smfcheck::xml::campaign::{
    Bundle, Campaign, CcbOp, CustomAction, CustomActionKind, EntityKind, ImmAttribute, Method,
    ModifyKind, Outage, Procedure, Scope, Selector, SiConstraint, TargetEntityTemplate, Template,
    Units, ValueType, parse_campaign,
};
use smfcheck::xml::imm::{Imm, ImmFile, merge, parse_imm, rdns};
use std::collections::{BTreeMap, BTreeSet};

use super::support::opensaf_or;

const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/");

fn imm_file(path: &str) -> ImmFile {
    parse_imm(path).unwrap_or_else(|e| panic!("{e}"))
}

fn model(rel: &str) -> String {
    format!("{MODELS}{rel}")
}

fn campaign(rel: &str) -> Campaign {
    parse_campaign(model(rel)).unwrap_or_else(|e| panic!("{e}"))
}

fn configuration(rels: &[&str]) -> Imm {
    let files: Vec<ImmFile> = rels.iter().map(|r| imm_file(&model(r))).collect();
    merge(&files).unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// Classes: OpenSAF's class files and ours
// ---------------------------------------------------------------------------------------------

/// class name → (RDN attribute, attribute → IMM value type such as `SA_NAME_T`).
struct Classes {
    map: BTreeMap<String, (String, BTreeMap<String, String>)>,
    /// Whether OpenSAF's class files were read. If not, a class outside `map` is taken for an
    /// OpenSAF class whose attributes have the types of `smfcheck::generate::attr_types`.
    opensaf: bool,
}

impl Classes {
    /// OpenSAF's AMF, CLM, PLM and SMF classes plus the classes a model's compat.xml defines.
    fn load(compat: &str) -> Classes {
        let os = opensaf_or(
            "OpenSAF class names and RDNs unchecked, attribute types checked against \
             smfcheck::generate::attr_types",
        );
        let mut files: Vec<ImmFile> = [
            "src/amf/config/amf_classes.xml",
            "src/clm/config/clmsv_classes.xml",
            "src/plm/config/plmsv_classes.xml",
            "src/smf/config/smfsv_classes.xml",
        ]
        .iter()
        .filter_map(|f| Some(imm_file(os.as_ref()?.join(f).to_str().unwrap())))
        .collect();
        files.push(imm_file(&model(compat)));
        let mut map = BTreeMap::new();
        for f in &files {
            for c in &f.classes {
                let attrs = std::iter::once(&c.rdn)
                    .chain(&c.attrs)
                    .map(|a| (a.name.clone(), a.value_type.clone()))
                    .collect();
                map.insert(c.name.clone(), (c.rdn.name.clone(), attrs));
            }
        }
        Classes {
            map,
            opensaf: os.is_some(),
        }
    }

    /// The class's definition; `None` for an OpenSAF class when OpenSAF's class files were not
    /// read. Panics for a class that is neither OpenSAF's nor ours.
    fn get(&self, class: &str) -> Option<&(String, BTreeMap<String, String>)> {
        let def = self.map.get(class);
        assert!(
            def.is_some() || !self.opensaf,
            "class `{class}` is not an OpenSAF class nor ours"
        );
        def
    }

    /// The RDN attribute of `class`; without its definition, the `saf…` attribute among
    /// `attributes` (those of an object being created) whose value is `<its name>=…`.
    fn rdn(&self, class: &str, attributes: &[ImmAttribute]) -> Option<String> {
        match self.get(class) {
            Some((rdn, _)) => Some(rdn.clone()),
            None => attributes
                .iter()
                .find(|a| {
                    a.name.starts_with("saf")
                        && a.values
                            .first()
                            .is_some_and(|v| v.starts_with(&format!("{}=", a.name)))
                })
                .map(|a| a.name.clone()),
        }
    }

    /// The IMM type of `class.attr`, or `None` if the class has no such attribute.
    fn try_attr_type(&self, class: &str, attr: &str) -> Option<&str> {
        match self.get(class) {
            Some((_, attrs)) => attrs.get(attr).map(String::as_str),
            None => ATTR_TYPES
                .binary_search_by(|(name, _)| name.cmp(&attr))
                .ok()
                .map(|i| ATTR_TYPES[i].1),
        }
    }

    /// The IMM type of `class.attr`; panics if the class has no such attribute.
    fn attr_type(&self, class: &str, attr: &str) -> &str {
        self.try_attr_type(class, attr)
            .unwrap_or_else(|| panic!("class `{class}` has no attribute `{attr}`"))
    }
}

fn imm_type_of(v: ValueType) -> &'static str {
    match v {
        ValueType::Int32 => "SA_INT32_T",
        ValueType::Uint32 => "SA_UINT32_T",
        ValueType::Int64 => "SA_INT64_T",
        ValueType::Uint64 => "SA_UINT64_T",
        ValueType::Time => "SA_TIME_T",
        ValueType::Name => "SA_NAME_T",
        ValueType::Float => "SA_FLOAT_T",
        ValueType::Double => "SA_DOUBLE_T",
        ValueType::String => "SA_STRING_T",
        ValueType::Any => "SA_ANY_T",
    }
}

// ---------------------------------------------------------------------------------------------
// The information model, and a campaign applied to it
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
struct Obj {
    class: String,
    attrs: BTreeMap<String, Vec<String>>,
}

/// Attributes that name an entity's type: what a `type` template matches.
const TYPE_ATTRS: [&str; 4] = ["saPlmEEType", "saAmfCompType", "saAmfSUType", "saAmfSGType"];
/// Runtime state written into configurations (as OpenSAF's samples do); not compared.
const RUNTIME_ATTRS: [&str; 1] = ["saAmfSUAdminState"];
const COMPAT: &str = "SmfcheckCompatibility";

fn is_descendant(dn: &str, ancestor: &str) -> bool {
    let (d, a) = (rdns(dn), rdns(ancestor));
    d.len() > a.len() && d[d.len() - a.len()..] == a[..]
}

struct State<'c> {
    /// What is being applied (for messages).
    what: String,
    objs: BTreeMap<String, Obj>,
    /// Every DN that existed at some point.
    ever: BTreeSet<String>,
    classes: &'c Classes,
}

impl<'c> State<'c> {
    fn new(imm: &Imm, classes: &'c Classes, what: &str) -> State<'c> {
        let objs: BTreeMap<String, Obj> = imm
            .objects()
            .iter()
            .map(|o| {
                let attrs = o
                    .attrs
                    .iter()
                    .map(|a| (a.name.clone(), a.values.clone()))
                    .collect();
                (
                    o.dn.clone(),
                    Obj {
                        class: o.class.clone(),
                        attrs,
                    },
                )
            })
            .collect();
        let ever = objs.keys().cloned().collect();
        State {
            what: what.to_string(),
            objs,
            ever,
            classes,
        }
    }

    fn need(&self, dn: &str, role: &str) {
        assert!(
            self.objs.contains_key(dn),
            "{}: {role} `{dn}` does not exist at that point",
            self.what
        );
    }

    fn has_type(&self, dn: &str, type_dn: &str) -> bool {
        TYPE_ATTRS.iter().any(|a| {
            self.objs[dn]
                .attrs
                .get(*a)
                .is_some_and(|v| v.iter().any(|x| x == type_dn))
        })
    }

    fn check_attr(&self, class: &str, a: &ImmAttribute, role: &str) {
        let declared = self.classes.attr_type(class, &a.name);
        assert_eq!(
            imm_type_of(a.value_type),
            declared,
            "{}: {role}: attribute `{}` of class {class} is {declared}",
            self.what,
            a.name
        );
    }

    fn create(&mut self, class: &str, dn: &str, attrs: BTreeMap<String, Vec<String>>) {
        assert!(
            !self.objs.contains_key(dn),
            "{}: creates `{dn}`, which exists already",
            self.what
        );
        if let Some(parent) = smfcheck::xml::imm::parent_dn(dn) {
            self.need(parent, "the parent of a created object");
        }
        self.ever.insert(dn.to_string());
        self.objs.insert(
            dn.to_string(),
            Obj {
                class: class.to_string(),
                attrs,
            },
        );
    }

    fn create_imm(&mut self, class: &str, parent: &str, attributes: &[ImmAttribute], role: &str) {
        let rdn_name = self
            .classes
            .rdn(class, attributes)
            .unwrap_or_else(|| panic!("{}: {role}: no RDN attribute of {class}", self.what));
        let rdn = attributes
            .iter()
            .find(|a| a.name == rdn_name)
            .unwrap_or_else(|| panic!("{}: {role}: no RDN attribute `{rdn_name}`", self.what));
        let mut attrs = BTreeMap::new();
        for a in attributes {
            self.check_attr(class, a, role);
            if a.name != rdn_name {
                attrs.insert(a.name.clone(), a.values.clone());
            }
        }
        let dn = format!("{},{parent}", rdn.values[0]);
        self.create(class, &dn, attrs);
    }

    fn delete(&mut self, dn: &str, role: &str) {
        self.need(dn, role);
        self.objs
            .retain(|k, _| k.as_str() != dn && !is_descendant(k, dn));
    }

    fn modify(&mut self, dn: &str, op: ModifyKind, attributes: &[ImmAttribute], role: &str) {
        self.need(dn, role);
        let class = self.objs[dn].class.clone();
        for a in attributes {
            self.check_attr(&class, a, role);
            let values = self.objs.get_mut(dn).unwrap().attrs.entry(a.name.clone());
            let values = values.or_default();
            match op {
                ModifyKind::Replace => *values = a.values.clone(),
                ModifyKind::Add => values.extend(a.values.iter().cloned()),
                ModifyKind::Delete => values.retain(|v| !a.values.contains(v)),
            }
        }
    }

    fn action(&mut self, a: &CustomAction, role: &str) {
        match &a.kind {
            CustomActionKind::Ccb(ccb) => {
                for op in &ccb.ops {
                    match op {
                        CcbOp::Create(c) => {
                            self.create_imm(&c.class, &c.parent_dn, &c.attributes, role)
                        }
                        CcbOp::Delete { dn, .. } => self.delete(dn, role),
                        CcbOp::Modify(m) => self.modify(&m.dn, m.operation, &m.attributes, role),
                    }
                }
            }
            CustomActionKind::Admin { forward, undo } => {
                for op in [forward, undo] {
                    if let Some(dn) = &op.object_dn {
                        self.need(dn, role);
                    }
                }
            }
            CustomActionKind::Cli { exec_envs, .. } => {
                for e in exec_envs {
                    for dn in [&e.plm_ee, &e.clm_node, &e.amf_node].into_iter().flatten() {
                        self.need(dn, role);
                    }
                }
            }
            CustomActionKind::Callback(_) => {}
        }
    }

    fn template(&self, t: &Template, role: &str) {
        for dn in [&t.parent, &t.type_dn].into_iter().flatten() {
            self.need(dn, role);
        }
    }

    fn selectors(&self, sels: &[Selector], role: &str) {
        for s in sels {
            match s {
                Selector::ByName(dn) => self.need(dn, role),
                Selector::ByTemplate(t) => self.template(t, role),
            }
        }
    }

    fn bundles(&self, refs: &[smfcheck::xml::campaign::BundleRef], role: &str) {
        for b in refs {
            self.need(&b.dn, role);
            for e in &b.exec_envs {
                for dn in [&e.plm_ee, &e.clm_node, &e.amf_node].into_iter().flatten() {
                    self.need(dn, role);
                }
            }
        }
    }

    /// The entities of a single step's unit: the acted-on entities, what they contain, and for
    /// an AMF node the EE that hosts it and the service units on it (with their components).
    fn unit(&self, acted: &[Selector]) -> BTreeSet<String> {
        let mut roots = BTreeSet::new();
        for s in acted {
            let Selector::ByName(dn) = s else {
                panic!("{}: unit by template not used in the models", self.what)
            };
            roots.insert(dn.clone());
            if self.objs[dn].class == "SaAmfNode" {
                let clm = &self.objs[dn].attrs["saAmfNodeClmNode"][0];
                roots.insert(self.objs[clm].attrs["saClmNodeEE"][0].clone());
                for (su, o) in &self.objs {
                    if o.class == "SaAmfSU"
                        && o.attrs.get("saAmfSUHostNodeOrNodeGroup") == Some(&vec![dn.clone()])
                    {
                        roots.insert(su.clone());
                    }
                }
            }
        }
        self.objs
            .keys()
            .filter(|k| roots.iter().any(|r| *k == r || is_descendant(k, r)))
            .cloned()
            .collect()
    }

    /// Applies a target entity template to the entities it selects (within `unit` if given).
    fn target(&mut self, t: &TargetEntityTemplate, unit: Option<&BTreeSet<String>>, role: &str) {
        for dn in [&t.parent, &t.type_dn].into_iter().flatten() {
            self.need(dn, role);
        }
        let selected: Vec<String> = self
            .objs
            .keys()
            .filter(|dn| unit.is_none_or(|u| u.contains(*dn)))
            .filter(|dn| t.type_dn.as_ref().is_none_or(|ty| self.has_type(dn, ty)))
            .filter(|dn| t.parent.as_ref().is_none_or(|p| is_descendant(dn, p)))
            .cloned()
            .collect();
        assert!(
            !selected.is_empty(),
            "{}: {role}: the target entity template {t:?} selects nothing",
            self.what
        );
        for dn in selected {
            for m in &t.modifications {
                let dn = match &m.rdn {
                    Some(r) => format!("{r},{dn}"),
                    None => dn.clone(),
                };
                self.modify(&dn, m.operation, &m.attributes, role);
            }
        }
    }

    fn apply(&mut self, c: &Campaign) {
        for b in &c.init.bundles {
            self.create("SaSmfSwBundle", &b.dn, bundle_object(b));
        }
        for t in &c.init.entity_types {
            if !self.objs.contains_key(t) {
                self.create(class_of_type_dn(t), t, BTreeMap::new());
            }
        }
        for a in &c.init.actions {
            self.action(a, "campInitAction");
        }
        let mut procedures: Vec<&Procedure> = c.procedures.iter().collect();
        procedures.sort_by_key(|p| p.exec_level);
        for p in procedures {
            let role = |what: &str| format!("{} {what}", p.name);
            if let Outage::Limited {
                sis: SiConstraint::MayGoUnassigned(sis) | SiConstraint::MustKeepAssigned(sis),
                ..
            } = &p.outage
            {
                for si in sis {
                    self.need(si, &role("outageInfo SI"));
                }
            }
            for a in &p.init_actions {
                self.action(a, &role("procInitAction"));
            }
            match &p.method {
                Method::Rolling { scope, .. } => {
                    self.need(&scope.node_template, &role("targetNodeTemplate"));
                    for t in &scope.activation_unit {
                        self.template(t, &role("activationUnitTemplate"));
                    }
                    self.bundles(&scope.sw_remove, &role("swRemove"));
                    self.bundles(&scope.sw_add, &role("swAdd"));
                    // Node by node, every matching entity of the node group ends modified.
                    for t in &scope.targets {
                        self.target(t, None, &role("targetEntityTemplate"));
                    }
                }
                Method::SingleStep { scopes_and_steps } => {
                    // Tear-down: what the nested steps deactivate exists.
                    for (s, _) in scopes_and_steps {
                        match s {
                            Scope::AddRemove(a) => {
                                self.selectors(&a.deactivation, &role("deactivationUnit"));
                                self.selectors(&a.removed, &role("removed"));
                                self.bundles(&a.sw_remove, &role("swRemove"));
                            }
                            Scope::Modify(m) => {
                                self.selectors(&m.activation, &role("forModify actedOn"));
                                self.bundles(&m.sw_remove, &role("swRemove"));
                                self.bundles(&m.sw_add, &role("swAdd"));
                            }
                        }
                    }
                    // Reconfiguration of every nested step (Fig. 4.1): removals,
                    // modifications, then additions, parents first.
                    let units: Vec<Option<BTreeSet<String>>> = scopes_and_steps
                        .iter()
                        .map(|(s, _)| match s {
                            Scope::Modify(m) => Some(self.unit(&m.activation)),
                            Scope::AddRemove(_) => None,
                        })
                        .collect();
                    for (s, _) in scopes_and_steps {
                        if let Scope::AddRemove(a) = s {
                            for r in &a.removed {
                                let Selector::ByName(dn) = r else {
                                    panic!("removed by template is not used in the models")
                                };
                                self.delete(dn, &role("removed"));
                            }
                        }
                    }
                    for ((s, _), unit) in scopes_and_steps.iter().zip(&units) {
                        if let Scope::Modify(m) = s {
                            for t in &m.targets {
                                self.target(t, unit.as_ref(), &role("targetEntityTemplate"));
                            }
                        }
                    }
                    let mut added: Vec<_> = scopes_and_steps
                        .iter()
                        .filter_map(|(s, _)| match s {
                            Scope::AddRemove(a) => Some(a.added.iter()),
                            Scope::Modify(_) => None,
                        })
                        .flatten()
                        .collect();
                    added.sort_by_key(|c| rdns(&c.parent_dn).len());
                    for c in added {
                        self.create_imm(&c.class, &c.parent_dn, &c.attributes, &role("added"));
                    }
                    // Build-up: what the nested steps activate exists.
                    for (s, _) in scopes_and_steps {
                        if let Scope::AddRemove(a) = s {
                            self.selectors(&a.activation, &role("activationUnit actedOn"));
                            self.bundles(&a.sw_add, &role("swAdd"));
                        }
                    }
                }
            }
            for a in &p.wrapup_actions {
                self.action(a, &role("procWrapupAction"));
            }
        }
        for a in &c.wrapup.complete_actions {
            self.action(a, "campCompleteAction");
        }
        for a in &c.wrapup.wrapup_actions {
            self.action(a, "campWrapupAction");
        }
        for t in &c.wrapup.remove_entity_types {
            self.delete(t, "removeFromImm amfEntityTypeDN");
        }
        for b in &c.wrapup.remove_bundles {
            self.delete(&b.dn, "removeFromImm softwareBundleDN");
        }
    }

    /// Every object uses its class's attributes, and every DN-valued attribute (but an RDN and
    /// the compatibility objects, checked per folder) names an existing object.
    fn resolves(&self) {
        for (dn, o) in &self.objs {
            if let Some((rdn, _)) = self.classes.get(&o.class) {
                assert!(
                    rdns(dn)[0].starts_with(&format!("{rdn}=")),
                    "{}: `{dn}` is not named by the RDN attribute `{rdn}` of {}",
                    self.what,
                    o.class
                );
            }
            for (name, values) in &o.attrs {
                let ty = self
                    .classes
                    .try_attr_type(&o.class, name)
                    .unwrap_or_else(|| {
                        panic!(
                            "{}: `{dn}`: class {} has no attribute `{name}`",
                            self.what, o.class
                        )
                    });
                if ty != "SA_NAME_T" || o.class == COMPAT {
                    continue;
                }
                for v in values.iter().filter(|v| !v.is_empty()) {
                    assert!(
                        self.objs.contains_key(v),
                        "{}: `{dn}` {name} names `{v}`, which does not exist",
                        self.what
                    );
                }
            }
        }
    }

    /// The objects but the compatibility statements, without runtime state.
    fn config_view(&self) -> BTreeMap<String, Obj> {
        self.objs
            .iter()
            .filter(|(_, o)| o.class != COMPAT)
            .map(|(dn, o)| {
                let mut o = o.clone();
                o.attrs.retain(|a, _| !RUNTIME_ATTRS.contains(&a.as_str()));
                (dn.clone(), o)
            })
            .collect()
    }
}

/// The SaSmfSwBundle object SMF creates for a bundle of `addToImm`.
fn bundle_object(b: &Bundle) -> BTreeMap<String, Vec<String>> {
    let mut a = BTreeMap::new();
    let mut put = |k: &str, v: &str| {
        a.insert(k.to_string(), vec![v.to_string()]);
    };
    if let Some(t) = b.default_timeout {
        put("saSmfBundleDefaultCmdTimeout", &t.to_string());
    }
    for (prefix, online, offline) in [
        ("saSmfBundleInstall", &b.install_online, &b.install_offline),
        ("saSmfBundleRemove", &b.remove_online, &b.remove_offline),
    ] {
        if let Some(c) = online {
            put(&format!("{prefix}OnlineCmdUri"), &c.command);
            if let Some(args) = &c.args {
                put(&format!("{prefix}OnlineCmdArgs"), args);
            }
        }
        if let Some(o) = offline {
            put(&format!("{prefix}OfflineCmdUri"), &o.cli.command);
            if let Some(args) = &o.cli.args {
                put(&format!("{prefix}OfflineCmdArgs"), args);
            }
            put(&format!("{prefix}OfflineScope"), &o.scope.to_string());
        }
    }
    a
}

/// The class of an AMF entity type `amfEntityTypes` adds, from its DN.
fn class_of_type_dn(dn: &str) -> &'static str {
    let first = rdns(dn)[0].split('=').next().unwrap().to_string();
    let base = rdns(dn)
        .last()
        .unwrap()
        .split('=')
        .next()
        .unwrap()
        .to_string();
    let versioned = first == "safVersion";
    match (base.as_str(), versioned) {
        ("safCompType", false) => "SaAmfCompBaseType",
        ("safCompType", true) => "SaAmfCompType",
        ("safSuType", false) => "SaAmfSUBaseType",
        ("safSuType", true) => "SaAmfSUType",
        ("safSgType", false) => "SaAmfSGBaseType",
        ("safSgType", true) => "SaAmfSGType",
        ("safAppType", false) => "SaAmfAppBaseType",
        ("safAppType", true) => "SaAmfAppType",
        ("safCSType", false) => "SaAmfCSBaseType",
        ("safCSType", true) => "SaAmfCSType",
        ("safSvcType", false) => "SaAmfSvcBaseType",
        ("safSvcType", true) => "SaAmfSvcType",
        _ => panic!("`{dn}` is not an AMF entity type"),
    }
}

/// What an embedded step does to its layers (§4.1.3.1 rule 2): addition when every nested step
/// only adds, removal when every one only removes.
fn purpose(p: &Procedure) -> Purpose {
    match &p.method {
        Method::SingleStep { scopes_and_steps } => {
            let adds = |s: &Scope| matches!(s, Scope::AddRemove(a) if a.removed.is_empty() && a.deactivation.is_empty() && !a.added.is_empty());
            let removes = |s: &Scope| matches!(s, Scope::AddRemove(a) if a.added.is_empty() && a.activation.is_empty() && !a.removed.is_empty());
            if scopes_and_steps.iter().all(|(s, _)| adds(s)) {
                Purpose::Addition
            } else if scopes_and_steps.iter().all(|(s, _)| removes(s)) {
                Purpose::Removal
            } else {
                Purpose::Upgrade
            }
        }
        Method::Rolling { .. } => Purpose::Upgrade,
    }
}

/// A campaign applied to a configuration, checked throughout; ends in `target` if given.
struct Run {
    campaign: Campaign,
    start: Imm,
    ever: BTreeSet<String>,
}

fn run(config: &[&str], campaign_rel: &str, target: Option<&[&str]>) -> Run {
    let compat = config
        .iter()
        .find(|f| f.ends_with("compat.xml"))
        .expect("a compat.xml");
    let classes = Classes::load(compat);
    let start = configuration(config);
    let c = campaign(campaign_rel);
    let mut state = State::new(&start, &classes, &format!("{campaign_rel} on {config:?}"));
    state.resolves();
    state.apply(&c);
    state.resolves();
    if let Some(target) = target {
        let t = configuration(target);
        let t = State::new(&t, &classes, &format!("{target:?}"));
        t.resolves();
        let (got, want) = (state.config_view(), t.config_view());
        let keys = |m: &BTreeMap<String, Obj>| m.keys().cloned().collect::<BTreeSet<_>>();
        let (g, w) = (keys(&got), keys(&want));
        assert!(
            g == w,
            "{campaign_rel}: end state and {target:?} differ: only in the end state {:?}, only in the target {:?}",
            g.difference(&w).collect::<Vec<_>>(),
            w.difference(&g).collect::<Vec<_>>()
        );
        for (dn, o) in &want {
            assert_eq!(
                &got[dn], o,
                "{campaign_rel}: `{dn}` differs from the target"
            );
        }
    }
    Run {
        campaign: c,
        start,
        ever: state.ever,
    }
}

/// Every SmfcheckCompatibility names DNs that exist at some point of some run of the folder
/// (or in its target configuration).
fn compat_resolves(compat: &str, evers: &[&BTreeSet<String>]) -> BTreeMap<String, Vec<String>> {
    let f = imm_file(&model(compat));
    let ever: BTreeSet<&String> = evers.iter().flat_map(|e| e.iter()).collect();
    let mut map = BTreeMap::new();
    assert!(
        !f.objects.is_empty(),
        "{compat}: no compatibility statement"
    );
    for o in &f.objects {
        assert_eq!(o.class, COMPAT, "{compat}");
        let upper = o.value("smfcheckUpper").unwrap().to_string();
        let lowers = o.values("smfcheckLower").to_vec();
        assert!(!lowers.is_empty(), "{compat}: {} lists no lower", o.dn);
        for dn in std::iter::once(&upper).chain(&lowers) {
            assert!(
                ever.contains(dn),
                "{compat}: {} names `{dn}`, which no configuration or campaign of the folder has",
                o.dn
            );
        }
        map.insert(upper, lowers);
    }
    map
}

fn types(p: &Procedure) -> Vec<StepType> {
    p.step_types()
}

fn embedded(p: &Procedure) -> Result<EmbeddedStep, EmbedError> {
    EmbeddedStep::new(p.step_types(), purpose(p))
}

fn valid_steps(c: &Campaign) {
    for p in &c.procedures {
        if let Err(e) = embedded(p) {
            panic!("{}: {}: {e}", c.file, p.name);
        }
    }
}

/// (name, execution level) in document order.
fn levels(c: &Campaign) -> Vec<(&str, u32)> {
    c.procedures
        .iter()
        .map(|p| (p.name.trim_start_matches("safSmfProc="), p.exec_level))
        .collect()
}

fn scopes(p: &Procedure) -> &[(Scope, smfcheck::xml::campaign::StepSpec)] {
    match &p.method {
        Method::SingleStep { scopes_and_steps } => scopes_and_steps,
        Method::Rolling { .. } => panic!("{} is rolling", p.name),
    }
}

fn names(sels: &[Selector]) -> Vec<&str> {
    sels.iter()
        .map(|s| match s {
            Selector::ByName(dn) => dn.as_str(),
            Selector::ByTemplate(_) => panic!("by template"),
        })
        .collect()
}

/// The acted-on entities of each nested step, outermost first.
fn acted_on(p: &Procedure) -> Vec<Vec<&str>> {
    scopes(p)
        .iter()
        .map(|(s, _)| match s {
            Scope::Modify(m) => names(&m.activation),
            Scope::AddRemove(a) if a.deactivation.is_empty() => names(&a.activation),
            Scope::AddRemove(a) => names(&a.deactivation),
        })
        .collect()
}

/// The `saPlmDepNames` replacements of the CCBs of some custom actions, in order.
fn dep_modifications(actions: &[CustomAction]) -> Vec<(&str, Vec<&str>)> {
    let mut out = Vec::new();
    for a in actions {
        if let CustomActionKind::Ccb(ccb) = &a.kind {
            for op in &ccb.ops {
                if let CcbOp::Modify(m) = op
                    && m.attributes.iter().any(|x| x.name == "saPlmDepNames")
                {
                    assert_eq!(m.operation, ModifyKind::Replace);
                    let values = m.attributes[0].values.iter().map(String::as_str).collect();
                    out.push((m.dn.as_str(), values));
                }
            }
        }
    }
    out
}

const D: &str = "safDomain=domain_1";

// ---------------------------------------------------------------------------------------------
// Every file
// ---------------------------------------------------------------------------------------------

#[test]
fn every_xml_file_in_the_model_folders_parses_and_every_configuration_merges_with_its_compat() {
    let mut campaigns = 0;
    let mut configurations = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(MODELS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        let compat = dir.join("compat.xml");
        for f in files {
            let name = f.file_name().unwrap().to_str().unwrap();
            let imm = std::fs::read_to_string(&f)
                .unwrap()
                .contains("<imm:IMM-contents");
            match name {
                "compat.xml" => {}
                _ if imm => {
                    let mut files = vec![imm_file(f.to_str().unwrap())];
                    // A folder whose configuration comes in parts (opensaf-5node: the cluster,
                    // then what campaigns installed on it) merges each part with the cluster.
                    let cluster = dir.join("cluster.xml");
                    if name != "cluster.xml" && cluster.exists() {
                        files.push(imm_file(cluster.to_str().unwrap()));
                    }
                    if compat.exists() {
                        files.push(imm_file(compat.to_str().unwrap()));
                    }
                    merge(&files).unwrap_or_else(|e| panic!("{e}"));
                    configurations += 1;
                }
                _ => {
                    parse_campaign(&f).unwrap_or_else(|e| panic!("{e}"));
                    campaigns += 1;
                }
            }
        }
        assert!(
            dir.join("README.md").exists(),
            "{}: every model folder has a README.md",
            dir.display()
        );
    }
    assert_eq!((campaigns, configurations), (15, 11));
}

#[test]
fn every_configuration_is_read_by_the_system_model() {
    // (files, EEs, migratable VMs, SGs, SUs, SIs)
    type Row = ([&'static str; 2], usize, usize, usize, usize, usize);
    let table: [Row; 6] = [
        (VLC, 2, 0, 1, 2, 1),
        (
            [
                "ubuntu-to-windows/config.xml",
                "ubuntu-to-windows/compat.xml",
            ],
            2,
            0,
            1,
            2,
            1,
        ),
        (["vm-vmm/source.xml", "vm-vmm/compat.xml"], 8, 4, 2, 6, 2),
        (["vm-vmm/target.xml", "vm-vmm/compat.xml"], 8, 4, 2, 6, 2),
        (
            [
                "thesis-case-study/source.xml",
                "thesis-case-study/compat.xml",
            ],
            14,
            6,
            3,
            6,
            3,
        ),
        (
            [
                "thesis-case-study/target.xml",
                "thesis-case-study/compat.xml",
            ],
            14,
            6,
            3,
            6,
            3,
        ),
    ];
    for (files, ees, migratable, sgs, sus, sis) in table {
        let c = SystemConfig::from_imm(&configuration(&files)).unwrap_or_else(|e| panic!("{e}"));
        let got = (
            c.ees.len(),
            c.ees.iter().filter(|e| e.is_migratable()).count(),
            c.sgs.len(),
            c.sus.len(),
            c.sis.len(),
        );
        assert_eq!(got, (ees, migratable, sgs, sus, sis), "{files:?}");
        // Every AMF node sits on an EE, every SU on one configured node.
        assert!(c.nodes.iter().all(|n| n.ee.is_some()), "{files:?}");
        assert!(
            c.sus.iter().all(|s| matches!(s.host, SuHost::Node(_))),
            "{files:?}"
        );
        // Migratable VMs depend on at least one sponsor and need one in service.
        for e in c.ees.iter().filter(|e| e.is_migratable()) {
            let d = e.dependency.as_ref().unwrap();
            assert!(!d.sponsors.is_empty() && d.min == 1, "{}", e.dn);
        }
    }
    // Containment and compatibility as the system model sees them.
    let c = SystemConfig::from_imm(&configuration(&[
        "thesis-case-study/source.xml",
        "thesis-case-study/compat.xml",
    ]))
    .unwrap();
    let vmm1 = c.ee(&format!("safEE=VMM1,safEE=hostOS-1,{D}")).unwrap();
    assert_eq!(c.ees[vmm1].parent, c.ee(&format!("safEE=hostOS-1,{D}")));
    let vm = c.ee(&format!("safEE=VMx1-M,{D}")).unwrap();
    assert_eq!(c.ees[vm].parent, None);
    assert_eq!(
        c.ees[vm].dependency.as_ref().unwrap().sponsors,
        [
            vmm1,
            c.ee(&format!("safEE=VMM2,safEE=hostOS-2,{D}")).unwrap()
        ]
    );
    let media = c.sg("safSg=SG-2,safApp=MediaPortal").unwrap();
    assert_eq!(c.sgs[media].redundancy, Redundancy::TwoN);
    let (vm430, vmm430, vmm436) = (
        "safVersion=4.3.0,safEEType=VirtualBoxVM",
        "safVersion=4.3.0,safEEType=VirtualBoxVMM",
        "safVersion=4.3.6,safEEType=VirtualBoxVMM",
    );
    assert!(c.compatible(vm430, Some(vmm430)));
    assert!(!c.compatible(vm430, Some(vmm436)));
    let c = SystemConfig::from_imm(&configuration(&[
        "ubuntu-to-windows/config.xml",
        "ubuntu-to-windows/compat.xml",
    ]))
    .unwrap();
    assert!(!c.compatible(
        "safSmfBundle=VLC200-Windows",
        Some("safVersion=10.04,safEEType=Ubuntu")
    ));
    assert!(c.compatible(
        "safSmfBundle=Windows8-VLC200",
        Some("safVersion=10.04,safEEType=Ubuntu")
    ));
    let vm_m3 = SystemConfig::from_imm(&configuration(&["vm-vmm/source.xml", "vm-vmm/compat.xml"]))
        .unwrap();
    let i = vm_m3.ee(&format!("safEE=VM-M3,safEE=VMM-M4,{D}")).unwrap();
    assert!(!vm_m3.ees[i].is_migratable());
    assert_eq!(vm_m3.ees[i].parent, vm_m3.ee(&format!("safEE=VMM-M4,{D}")));
}

// ---------------------------------------------------------------------------------------------
// vlc-2n: §2.7 Fig. 2.3, §3.2.1.1, §5.3.3
// ---------------------------------------------------------------------------------------------

const VLC: [&str; 2] = ["vlc-2n/config.xml", "vlc-2n/compat.xml"];
const VLC_SG: &str = "safSg=VLC,safApp=VLC";

/// The AMF nodes hosting the service units of an SG in a configuration.
fn sg_nodes(imm: &Imm, sg: &str) -> BTreeSet<String> {
    imm.children(sg)
        .filter(|o| o.class == "SaAmfSU")
        .map(|o| o.value("saAmfSUHostNodeOrNodeGroup").unwrap().to_string())
        .collect()
}

#[test]
fn vlc_2n_is_the_two_node_cluster_of_fig_2_3() {
    let imm = configuration(&VLC);
    let counts = imm.class_counts();
    for (class, n) in [
        ("SaPlmEE", 2),
        ("SaClmNode", 2),
        ("SaAmfNode", 2),
        ("SaAmfSG", 1),
        ("SaAmfSU", 2),
        ("SaAmfComp", 2),
        ("SaAmfSI", 1),
        ("SaSmfSwBundle", 2),
    ] {
        assert_eq!(counts.get(class), Some(&n), "{class}");
    }
    let sg_type = imm.values(VLC_SG, "saAmfSGType").unwrap()[0].clone();
    assert_eq!(
        imm.get(&sg_type).unwrap().value("saAmfSgtRedundancyModel"),
        Some("1")
    );
    assert_eq!(
        imm.values("safSi=SI-1,safApp=VLC", "saAmfSIProtectedbySG")
            .unwrap(),
        [VLC_SG]
    );
    // SU-1 on Node-1 on EE-1, SU-2 on Node-2 on EE-2, real EEs (children of the domain).
    for n in 1..=2 {
        let su = imm.get(&format!("safSu=SU-{n},{VLC_SG}")).unwrap();
        let node = su.value("saAmfSUHostNodeOrNodeGroup").unwrap();
        assert_eq!(
            node,
            format!("safAmfNode=Node-{n},safAmfCluster=myAmfCluster")
        );
        let clm = imm.get(node).unwrap().value("saAmfNodeClmNode").unwrap();
        let ee = imm.get(clm).unwrap().value("saClmNodeEE").unwrap();
        assert_eq!(ee, format!("safEE=EE-{n},{D}"));
        assert_eq!(
            imm.get(ee).unwrap().value("saPlmEEType"),
            Some("safVersion=10.04,safEEType=Ubuntu")
        );
    }
}

#[test]
fn vlc_2n_campaigns_apply_and_break_what_their_readme_says() {
    let rolling = run(&VLC, "vlc-2n/rolling-os-upgrade.xml", None);
    let both = run(&VLC, "vlc-2n/broken-both-nodes-one-procedure.xml", None);
    let broken = run(&VLC, "vlc-2n/broken-removal-before-addition.xml", None);
    let control = run(&VLC, "vlc-2n/add-before-remove.xml", None);
    for r in [&rolling, &both, &broken, &control] {
        valid_steps(&r.campaign);
    }
    compat_resolves(
        "vlc-2n/compat.xml",
        &[&rolling.ever, &both.ever, &broken.ever, &control.ever],
    );

    // (a) §3.2.1.1: one rolling procedure over the node group, SMF's normal step on node units.
    let c = &rolling.campaign;
    assert_eq!(levels(c), [("RollingOsUpgrade", 0)]);
    let Method::Rolling { scope, step, .. } = &c.procedures[0].method else {
        panic!("rolling")
    };
    assert_eq!(
        scope.node_template,
        "safAmfNodeGroup=AllNodes,safAmfCluster=myAmfCluster"
    );
    assert_eq!(step.step_type(), OutOfPhase);
    assert_eq!(step.acts_on, Units::Uniform(EntityKind::Node));
    assert_eq!(
        c.init
            .bundles
            .iter()
            .map(|b| b.dn.as_str())
            .collect::<Vec<_>>(),
        ["safSmfBundle=Ubuntu1204-VLC200"]
    );
    assert!(
        c.init.bundles[0].install_offline.is_some(),
        "the image has offline operations"
    );
    assert_eq!(c.procedures[0].outage, Outage::None);

    // (b) one single step on every node that hosts a provider of SI-1.
    let c = &both.campaign;
    assert_eq!(levels(c), [("OsUpgradeBothNodes", 0)]);
    assert_eq!(types(&c.procedures[0]), [OutOfPhase]);
    let acted: BTreeSet<String> = acted_on(&c.procedures[0])[0]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(acted, sg_nodes(&both.start, VLC_SG));
    assert_eq!(c.procedures[0].outage, Outage::None);

    // (c) the removal of every SU of the SG runs at a lower level than the addition.
    for (r, order) in [
        (&broken, ["RemoveOldSUs", "AddNewSUs"]),
        (&control, ["AddNewSUs", "RemoveOldSUs"]),
    ] {
        let c = &r.campaign;
        let by_level: Vec<&str> = c
            .levels()
            .iter()
            .map(|(_, ps)| ps[0].name.trim_start_matches("safSmfProc="))
            .collect();
        assert_eq!(by_level, order, "{}", c.file);
        let remove = c.procedure("safSmfProc=RemoveOldSUs").unwrap();
        assert_eq!(purpose(remove), Purpose::Removal);
        assert_eq!(
            purpose(c.procedure("safSmfProc=AddNewSUs").unwrap()),
            Purpose::Addition
        );
        let removed: BTreeSet<&str> = acted_on(remove)[0].iter().copied().collect();
        let all: BTreeSet<&str> = r
            .start
            .children(VLC_SG)
            .filter(|o| o.class == "SaAmfSU")
            .map(|o| o.dn.as_str())
            .collect();
        assert_eq!(removed, all, "every provider of SI-1 goes");
    }
}

// ---------------------------------------------------------------------------------------------
// ubuntu-to-windows: §3.2.2, §4.1.2, §4.1.3
// ---------------------------------------------------------------------------------------------

#[test]
fn ubuntu_to_windows_campaigns_are_the_section_4_1_examples() {
    let cfg = [
        "ubuntu-to-windows/config.xml",
        "ubuntu-to-windows/compat.xml",
    ];
    let out = run(&cfg, "ubuntu-to-windows/out-of-phase.xml", None);
    let inp = run(&cfg, "ubuntu-to-windows/in-phase.xml", None);
    let single = run(&cfg, "ubuntu-to-windows/single-layer-in-phase.xml", None);
    for r in [&out, &inp, &single] {
        valid_steps(&r.campaign);
    }
    let compat = compat_resolves(
        "ubuntu-to-windows/compat.xml",
        &[&out.ever, &inp.ever, &single.ever],
    );
    const WIN8: &str = "safVersion=8,safEEType=Windows";
    const UBUNTU: &str = "safVersion=10.04,safEEType=Ubuntu";
    assert_eq!(compat["safSmfBundle=VLC200-Windows"], [WIN8]);
    assert_eq!(compat["safSmfBundle=VLC100"], [UBUNTU]);

    // Rolled by hand: one single-step procedure per machine, an embedded step of degree 2.
    for (r, outer) in [(&out, OutOfPhase), (&inp, InPhase)] {
        let c = &r.campaign;
        assert_eq!(
            levels(c),
            [("UpgradeMachine-1", 0), ("UpgradeMachine-2", 1)]
        );
        for (k, p) in c.procedures.iter().enumerate() {
            assert_eq!(types(p), [outer, InPhase], "{}", p.name);
            let n = k + 1;
            assert_eq!(
                acted_on(p),
                [
                    vec![format!("safSu=SU-{n},{VLC_SG}")],
                    vec![format!("safEE=EE-{n},{D}")]
                ]
            );
            // Layer 1 installs the Windows VLC, which the compatibility statement allows only
            // on Windows 8, on a machine whose OS is Ubuntu until layer 2 is done.
            let (Scope::Modify(l1), _) = &scopes(p)[0] else {
                panic!()
            };
            assert_eq!(l1.sw_add[0].dn, "safSmfBundle=VLC200-Windows");
            assert_eq!(
                r.start
                    .get(&format!("safEE=EE-{n},{D}"))
                    .unwrap()
                    .value("saPlmEEType"),
                Some(UBUNTU)
            );
        }
    }
    // §4.1.2: the whole stack as one image, one in-phase step rolled over the node group.
    let c = &single.campaign;
    assert_eq!(levels(c), [("RollingBaseTypeChange", 0)]);
    assert_eq!(types(&c.procedures[0]), [InPhase]);
    assert!(!compat.contains_key("safSmfBundle=Windows8-VLC200"));
}

// ---------------------------------------------------------------------------------------------
// vm-vmm: §5.3, Fig. 5.2-5.6
// ---------------------------------------------------------------------------------------------

/// Whether every VM a procedure's outer nested step acts on (or adds) is pinned to the VMM its
/// inner nested step acts on: contained in it, or depending on it alone, given the dependency
/// lists in force (`deps`: dependency DN → sponsors).
fn vms_pinned_to_their_vmm(p: &Procedure, deps: &BTreeMap<String, Vec<String>>) -> bool {
    let acted = acted_on(p);
    let vmm = acted[1][0];
    acted[0].iter().all(|vm| {
        smfcheck::xml::imm::parent_dn(vm) == Some(vmm)
            || deps
                .iter()
                .find(|(d, _)| smfcheck::xml::imm::parent_dn(d) == Some(*vm))
                .is_some_and(|(_, sponsors)| sponsors == &[vmm.to_string()])
    })
}

/// The dependency lists in force during the procedures: the source's, narrowed by the
/// initialization, plus those of the VMs the procedures add.
fn deps_during(c: &Campaign, start: &Imm) -> BTreeMap<String, Vec<String>> {
    let mut deps: BTreeMap<String, Vec<String>> = start
        .of_class("SaPlmDependency")
        .map(|o| (o.dn.clone(), o.values("saPlmDepNames").to_vec()))
        .collect();
    for (dn, v) in dep_modifications(&c.init.actions) {
        deps.insert(dn.to_string(), v.iter().map(|s| s.to_string()).collect());
    }
    for p in &c.procedures {
        for (s, _) in scopes(p) {
            if let Scope::AddRemove(a) = s {
                for o in a.added.iter().filter(|o| o.class == "SaPlmDependency") {
                    let rdn = &o
                        .attributes
                        .iter()
                        .find(|a| a.name == "safDependency")
                        .unwrap()
                        .values[0];
                    let sponsors = &o
                        .attributes
                        .iter()
                        .find(|a| a.name == "saPlmDepNames")
                        .unwrap()
                        .values;
                    deps.insert(format!("{rdn},{}", o.parent_dn), sponsors.clone());
                }
            }
        }
    }
    deps
}

#[test]
fn vm_vmm_campaign_catches_adds_modifies_removes_and_ends_in_the_target() {
    let src = ["vm-vmm/source.xml", "vm-vmm/compat.xml"];
    let tgt = ["vm-vmm/target.xml", "vm-vmm/compat.xml"];
    let good = run(&src, "vm-vmm/campaign.xml", Some(&tgt));
    let uncaught = run(&src, "vm-vmm/broken-uncaught.xml", Some(&tgt));
    let target = configuration(&tgt);
    let target_dns: BTreeSet<String> = target.objects().iter().map(|o| o.dn.clone()).collect();
    let compat = compat_resolves(
        "vm-vmm/compat.xml",
        &[&good.ever, &uncaught.ever, &target_dns],
    );
    assert_eq!(
        compat["safVersion=2.0,safEEType=GuestVM"],
        ["safVersion=4.3.0,safEEType=Xen"]
    );

    let vm = |n: &str| {
        if n == "M3" {
            format!("safEE=VM-M3,safEE=VMM-M4,{D}")
        } else {
            format!("safEE=VM-{n},{D}")
        }
    };
    let vmm = |n: &str| format!("safEE=VMM-{n},{D}");
    // Fig. 5.2: VM-R1, VM-R2, VM-M1, VM-M2 migratable between VMM-R1 and VMM-M3; VM-M3 in VMM-M4.
    for n in ["R1", "R2", "M1", "M2"] {
        let dep = format!("safDependency=MIG{n}Dep,{}", vm(n));
        assert_eq!(
            good.start.values(&dep, "saPlmDepNames").unwrap(),
            [vmm("R1"), vmm("M3")]
        );
    }
    assert!(good.start.get(&vm("M3")).is_some());
    // Every SI has a provider on VM-M3, in the source and in the target.
    for imm in [&good.start, &target] {
        for si in imm.of_class("SaAmfSI") {
            let sg = si.value("saAmfSIProtectedbySG").unwrap();
            assert!(sg_nodes(imm, sg).contains("safAmfNode=VM-M3,safAmfCluster=myAmfCluster"));
        }
    }

    for r in [&good, &uncaught] {
        let c = &r.campaign;
        valid_steps(c);
        assert_eq!(
            levels(c),
            [
                ("AddVMM-A2", 0),
                ("ModifyVMM-M3", 1),
                ("ModifyVMM-M4", 2),
                ("RemoveVMM-R1", 3)
            ]
        );
        let purposes: Vec<Purpose> = c.procedures.iter().map(purpose).collect();
        assert_eq!(
            purposes,
            [
                Purpose::Addition,
                Purpose::Upgrade,
                Purpose::Upgrade,
                Purpose::Removal
            ]
        );
        for p in &c.procedures {
            assert_eq!(types(p), [InPhase, InPhase], "{}", p.name);
        }
        let acted: Vec<Vec<Vec<&str>>> = c.procedures.iter().map(acted_on).collect();
        assert_eq!(
            acted,
            [
                vec![vec![vm("A1"), vm("A2")], vec![vmm("A2")]],
                vec![vec![vm("M1"), vm("M2")], vec![vmm("M3")]],
                vec![vec![vm("M3")], vec![vmm("M4")]],
                vec![vec![vm("R1"), vm("R2")], vec![vmm("R1")]],
            ]
        );
    }
    // §5.3.2: the modified VMs caught on VMM-M3 (modified), the removed ones on VMM-R1 (removed);
    // §5.3.4: released to the target's sponsors.
    let caught = dep_modifications(&good.campaign.init.actions);
    let dep = |n: &str| format!("safDependency=MIG{n}Dep,{}", vm(n));
    assert_eq!(
        caught,
        [
            (dep("M1").as_str(), vec![vmm("M3").as_str()]),
            (dep("M2").as_str(), vec![vmm("M3").as_str()]),
            (dep("R1").as_str(), vec![vmm("R1").as_str()]),
            (dep("R2").as_str(), vec![vmm("R1").as_str()]),
        ]
    );
    let released = dep_modifications(&good.campaign.wrapup.wrapup_actions);
    assert_eq!(released.len(), 4);
    for (d, v) in &released {
        assert_eq!(target.values(d, "saPlmDepNames").unwrap(), &v[..]);
    }
    // With catching, every procedure's VMs sit on the VMM it upgrades; without, some do not.
    let deps = deps_during(&good.campaign, &good.start);
    for p in &good.campaign.procedures {
        assert!(vms_pinned_to_their_vmm(p, &deps), "{}", p.name);
    }
    assert!(dep_modifications(&uncaught.campaign.init.actions).is_empty());
    assert!(dep_modifications(&uncaught.campaign.wrapup.wrapup_actions).is_empty());
    // Its only dependency changes: VM-M1's and VM-M2's target sponsors, set before VMM-R1 goes.
    let remove = &uncaught.campaign.procedures[3];
    let target_sponsors = [vmm("M3"), vmm("A2")];
    let target_sponsors: Vec<&str> = target_sponsors.iter().map(String::as_str).collect();
    assert_eq!(
        dep_modifications(&remove.init_actions),
        [
            (dep("M1").as_str(), target_sponsors.clone()),
            (dep("M2").as_str(), target_sponsors)
        ]
    );
    let deps = deps_during(&uncaught.campaign, &uncaught.start);
    let loose: Vec<&str> = uncaught
        .campaign
        .procedures
        .iter()
        .filter(|p| !vms_pinned_to_their_vmm(p, &deps))
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(
        loose,
        [
            "safSmfProc=AddVMM-A2",
            "safSmfProc=ModifyVMM-M3",
            "safSmfProc=RemoveVMM-R1"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// thesis-case-study: §7.2, Fig. 7.7-7.10
// ---------------------------------------------------------------------------------------------

#[test]
fn thesis_case_study_expected_campaign_is_figures_7_7_to_7_10_and_ends_in_the_target() {
    let src = [
        "thesis-case-study/source.xml",
        "thesis-case-study/compat.xml",
    ];
    let tgt = [
        "thesis-case-study/target.xml",
        "thesis-case-study/compat.xml",
    ];
    let r = run(&src, "thesis-case-study/expected-campaign.xml", Some(&tgt));
    let target = configuration(&tgt);
    let target_dns: BTreeSet<String> = target.objects().iter().map(|o| o.dn.clone()).collect();
    compat_resolves("thesis-case-study/compat.xml", &[&r.ever, &target_dns]);
    let c = &r.campaign;
    valid_steps(c);

    let host = |i: u32| format!("safEE=hostOS-{i},{D}");
    let vmm = |i: u32| format!("safEE=VMM{i},safEE=hostOS-{i},{D}");
    let vm = |xy: &str, j: u32| format!("safEE=VM{xy}{j}-M,{D}");
    let dep = |xy: &str, j: u32| format!("safDependency=MIG{xy}{j}Dep,{}", vm(xy, j));

    // The source: VMM i in host OS i; VMx sponsored by VMM1/VMM2, VMy by VMM3/VMM4.
    let s = &r.start;
    assert_eq!(s.of_class("SaPlmEE").count(), 4 + 4 + 6);
    for (xy, sponsors) in [("x", [1, 2]), ("y", [3, 4])] {
        for j in 1..=3 {
            assert_eq!(
                s.values(&dep(xy, j), "saPlmDepNames").unwrap(),
                sponsors.map(vmm)
            );
        }
    }
    // Three SGs (http N-way active, media 2N, database N-way active), one SU per VM, the two SUs
    // of an SG never under the same VMM.
    for (sg, model, si) in [(1, "4", "http"), (2, "1", "media"), (3, "4", "database")] {
        let sg_dn = format!("safSg=SG-{sg},safApp=MediaPortal");
        let ty = &s.values(&sg_dn, "saAmfSGType").unwrap()[0];
        assert_eq!(
            s.get(ty).unwrap().value("saAmfSgtRedundancyModel"),
            Some(model)
        );
        assert_eq!(
            s.values(
                &format!("safSi={si},safApp=MediaPortal"),
                "saAmfSIProtectedbySG"
            )
            .unwrap(),
            std::slice::from_ref(&sg_dn)
        );
        let sponsor_sets: Vec<BTreeSet<String>> = sg_nodes(s, &sg_dn)
            .iter()
            .map(|n| {
                let clm = s.get(n).unwrap().value("saAmfNodeClmNode").unwrap();
                let ee = s.get(clm).unwrap().value("saClmNodeEE").unwrap();
                let d = s
                    .objects()
                    .iter()
                    .find(|o| o.parent_dn() == Some(ee))
                    .unwrap();
                d.values("saPlmDepNames").iter().cloned().collect()
            })
            .collect();
        assert_eq!(sponsor_sets.len(), 2);
        assert!(sponsor_sets[0].is_disjoint(&sponsor_sets[1]), "SG-{sg}");
    }

    // Fig. 7.7: six catching modifications, in the figure's order.
    let order = [("x", 3), ("x", 1), ("y", 1), ("y", 2), ("x", 2), ("y", 3)];
    let catching: Vec<(String, Vec<String>)> = order
        .iter()
        .map(|&(xy, j)| (dep(xy, j), vec![vmm(if xy == "x" { 1 } else { 3 })]))
        .collect();
    let got: Vec<(String, Vec<String>)> = dep_modifications(&c.init.actions)
        .into_iter()
        .map(|(d, v)| (d.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(got, catching);
    // Fig. 7.8: four procedures at levels 0-3; Fig. 7.9: VMs, VMM, host OS, all in-phase.
    assert_eq!(
        levels(c),
        [
            ("ModifyUpgradeProcedureAthostOS-1", 0),
            ("ModifyUpgradeProcedureAthostOS-2", 1),
            ("ModifyUpgradeProcedureAthostOS-3", 2),
            ("ModifyUpgradeProcedureAthostOS-4", 3),
        ]
    );
    let degrees: Vec<usize> = c
        .procedures
        .iter()
        .map(|p| embedded(p).unwrap().degree())
        .collect();
    assert_eq!(degrees, [3, 2, 3, 2]);
    for (k, p) in c.procedures.iter().enumerate() {
        let i = k as u32 + 1;
        assert!(types(p).iter().all(|t| *t == InPhase), "{}", p.name);
        assert_eq!(purpose(p), Purpose::Upgrade);
        let mut want: Vec<Vec<String>> = Vec::new();
        if i % 2 == 1 {
            let xy = if i == 1 { "x" } else { "y" };
            want.push((1..=3).map(|j| vm(xy, j)).collect());
        }
        want.push(vec![vmm(i)]);
        want.push(vec![host(i)]);
        assert_eq!(acted_on(p), want, "{}", p.name);
    }
    let p1 = &c.procedures[0];
    let bundles: Vec<(Vec<&str>, Vec<&str>)> = scopes(p1)
        .iter()
        .map(|(s, _)| {
            let Scope::Modify(m) = s else { panic!() };
            (
                m.sw_remove.iter().map(|b| b.dn.as_str()).collect(),
                m.sw_add.iter().map(|b| b.dn.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        bundles,
        [
            (
                vec!["safSmfBundle=VirtualBoxVM"],
                vec!["safSmfBundle=VirtualBoxVM436"]
            ),
            (
                vec!["safSmfBundle=VirtualBoxVMM"],
                vec!["safSmfBundle=VirtualBoxVMM436"]
            ),
            (
                vec!["safSmfBundle=UbuntuHostOS"],
                vec!["safSmfBundle=UbuntuHostOS1204"]
            ),
        ]
    );
    let deps = deps_during(c, s);
    for p in &c.procedures {
        if acted_on(p).len() == 3 {
            assert!(vms_pinned_to_their_vmm(p, &deps), "{}", p.name);
        }
    }
    // Fig. 7.10: six modifications restoring the target's dependencies, in the figure's order.
    let released = dep_modifications(&c.wrapup.wrapup_actions);
    assert_eq!(
        released
            .iter()
            .map(|(d, _)| d.to_string())
            .collect::<Vec<_>>(),
        order.iter().map(|&(xy, j)| dep(xy, j)).collect::<Vec<_>>()
    );
    for (d, v) in &released {
        assert_eq!(target.values(d, "saPlmDepNames").unwrap(), &v[..]);
    }
}

// ---------------------------------------------------------------------------------------------
// broken: campaigns written to fail
// ---------------------------------------------------------------------------------------------

#[test]
fn broken_campaigns_apply_to_vlc_2n_and_break_their_rule() {
    // A reduced step (restart option on components) whose undo cannot restore under the
    // thesis's semantics (models/README.md "A finding").
    let undo = run(&VLC, "broken/undo-cannot-restore.xml", None);
    let c = &undo.campaign;
    valid_steps(c);
    assert_eq!(levels(c), [("PatchVlcByRestart", 0)]);
    let Method::Rolling { step, .. } = &c.procedures[0].method else {
        panic!("rolling")
    };
    assert!(step.restart_option);
    assert_eq!(step.acts_on, Units::Uniform(EntityKind::Component));
    assert_eq!(step.step_type(), Reduced);
    let patch = &c.init.bundles[0];
    assert!(patch.install_offline.is_none() && patch.remove_offline.is_none());
    assert!(c.init.component_types.iter().all(|t| !t.restart_disabled));

    // §4.1.3.1 rule (1): a reduced step cannot embed a further step.
    let outer = run(&VLC, "broken/reduced-outer-step.xml", None);
    let p = &outer.campaign.procedures[0];
    assert_eq!(types(p), [Reduced, InPhase]);
    assert_eq!(
        embedded(p).unwrap_err(),
        EmbedError::ReducedNotInnermost {
            position: 1,
            ty: Reduced
        }
    );
    // §4.1.3.1 rule (2): for addition every nested step but the innermost is in-phase.
    let add = run(&VLC, "broken/addition-out-of-phase-outer.xml", None);
    let p = &add.campaign.procedures[0];
    assert_eq!(types(p), [OutOfPhase, InPhase]);
    assert_eq!(purpose(p), Purpose::Addition);
    assert_eq!(
        embedded(p).unwrap_err(),
        EmbedError::AddRemoveNeedsInPhase {
            position: 1,
            ty: OutOfPhase,
            purpose: "addition"
        }
    );
}
