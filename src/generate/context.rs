//! What the sections of the campaign generator (thesis Chapter 6) share: the two configurations,
//! each as IMM objects (what the campaign writes) and as a system model (containment,
//! dependencies, compatibility: what the generator reasons about), and the refusal of an input
//! outside the assumptions the thesis makes of it (§5.2.1, §6.2).

use crate::error::Error;
use crate::system::config::SystemConfig;
use crate::xml::imm::{Imm, ImmObject, rdns};

/// The source and the target configuration, read once for every section.
pub(super) struct Cx<'a> {
    pub source: &'a Imm,
    pub target: &'a Imm,
    pub scfg: SystemConfig,
    pub tcfg: SystemConfig,
}

impl<'a> Cx<'a> {
    pub fn new(source: &'a Imm, target: &'a Imm) -> Result<Self, Error> {
        let scfg = SystemConfig::from_imm(source)?;
        let tcfg = SystemConfig::from_imm(target)?;
        Ok(Cx {
            source,
            target,
            scfg,
            tcfg,
        })
    }

    /// The object `dn` of the source, else of the target: where a refusal points.
    pub fn obj(&self, dn: &str) -> Option<&'a ImmObject> {
        self.source.get(dn).or_else(|| self.target.get(dn))
    }
}

/// Which configuration: the tree an EE hangs in, or the one that holds an EE type whose bundle
/// is looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    Source,
    Target,
}

/// An input outside the assumptions of §5.2.1 / §6.2 (exit 2).
pub(super) fn assumption(
    section: &str,
    o: Option<&ImmObject>,
    entity: &str,
    message: String,
) -> Error {
    Error::Config {
        origin: o.map(|o| o.origin()).unwrap_or_else(|| "generate".into()),
        message: format!("{entity}: {message} (outside the generator's assumptions, {section})"),
    }
}

/// The classes of type objects (`SaPlmEEType`, `SaAmfSUType`, …), which no EE hosts: the
/// initialization creates the new ones and the wrap-up deletes the old (§6.5.1, §6.5.3).
/// `SaAmfCompCsType` is only named like one: it is a component's own child.
pub(super) fn is_type_class(class: &str) -> bool {
    class.contains("Type") && class != "SaAmfCompCsType"
}

/// The objects of `b` that `a` lacks and `pred` admits, parents before children: what the
/// initialization adds (`a` the source) and what the wrap-up removes (`a` the target).
pub(super) fn new_objects(a: &Imm, b: &Imm, pred: &dyn Fn(&ImmObject) -> bool) -> Vec<ImmObject> {
    let mut v: Vec<ImmObject> = b
        .objects()
        .iter()
        .filter(|o| a.get(&o.dn).is_none() && pred(o))
        .cloned()
        .collect();
    v.sort_by_key(|o| rdns(&o.dn).len());
    v
}
