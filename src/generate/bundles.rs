//! The software bundle that installs each EE type (thesis §6.2 (6), used by the steps of §6.5.2,
//! declared in §6.5.1 and removed in §6.5.3).
//!
//! Software bundles are not linked to PLM EE types by any IMM attribute, so the generator uses a
//! naming convention: the bundle of `safVersion=V,safEEType=B` is, in the configuration that
//! holds the type, the one of `safSmfBundle=B` followed by the letters and digits of V
//! (`UbuntuHostOS1204` for 12.04, Fig. 7.9's names), `B-V` (`Xen-4.3.0`), `B_V`, `BV` that
//! exists, else `B`; two of the versioned names for one type are ambiguous and refused. When the
//! configuration has none of them (nor the other configuration an object of the first name),
//! the bundle is derived: the first name, `safSmfBundle=B` + the letters and digits of V,
//! declared in `addToImm` with placeholder scripts. One derived for an old type is removed in
//! the wrap-up with its type, so the step still removes the old software as §6.5.2 writes it.

use super::context::{Side, assumption};
use crate::error::Error;
use crate::xml::imm::{Imm, ImmAttr, ImmObject, rdns};
use std::collections::BTreeSet;

/// A software bundle the campaign declares (`addToImm`) because the configuration holding its EE
/// type has no `SaSmfSwBundle` for it (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedBundle {
    /// `safSmfBundle=` + base type name + the letters and digits of the version.
    pub bundle: String,
    pub ee_type: String,
    /// The configurations that hold the type without a bundle for it (at least one).
    pub in_source: bool,
    pub in_target: bool,
}

impl DerivedBundle {
    /// The line `smfcheck generate` prints for it.
    pub fn note(&self) -> String {
        let which = match (self.in_source, self.in_target) {
            (true, true) => "source and target configurations",
            (true, false) => "source configuration",
            _ => "target configuration",
        };
        format!(
            "note: no SaSmfSwBundle for {} in the {which}: the campaign declares {} (derived from the type)",
            self.ee_type, self.bundle
        )
    }
}

/// The base type name, the version, and the version's letters and digits of EE type DN `ty`
/// (`safVersion=V,safEEType=B`).
fn type_parts(ty: &str) -> (String, String, String) {
    let rd = rdns(ty);
    let version = rd
        .first()
        .and_then(|r| r.strip_prefix("safVersion="))
        .unwrap_or("");
    let base = rd
        .get(1)
        .and_then(|r| r.split_once('=').map(|(_, v)| v))
        .unwrap_or("");
    let digits: String = version
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (base.to_string(), version.to_string(), digits)
}

/// Finds the software bundle of each EE type (naming convention, see the module doc) and
/// remembers the bundles it had to derive, which the campaign must then declare.
pub(super) struct Bundles<'a> {
    source: &'a Imm,
    target: &'a Imm,
    /// In order of first use, so that the campaign declares them in a stable order.
    pub derived: Vec<DerivedBundle>,
    /// Bundles that install a target type: the wrap-up must not remove them even when only the
    /// source configuration holds their `SaSmfSwBundle` object.
    pub for_target: BTreeSet<String>,
    /// Every bundle a step adds or removes, checked to exist once the campaign is complete.
    used: BTreeSet<String>,
}

impl<'a> Bundles<'a> {
    pub fn new(source: &'a Imm, target: &'a Imm) -> Self {
        Bundles {
            source,
            target,
            derived: Vec::new(),
            for_target: BTreeSet::new(),
            used: BTreeSet::new(),
        }
    }

    /// The bundle of EE type `ty` of the `side` configuration, for a step to add or remove.
    pub fn of(&mut self, side: Side, ty: &str) -> Result<String, Error> {
        let (imm, other) = match side {
            Side::Source => (self.source, self.target),
            Side::Target => (self.target, self.source),
        };
        let origin = imm.get(ty);
        let is_bundle =
            |imm: &Imm, dn: &str| imm.get(dn).is_some_and(|o| o.class == "SaSmfSwBundle");
        let (base, version, digits) = type_parts(ty);
        let derived_name = format!("safSmfBundle={base}{digits}");
        // The versioned forms name one version; two of them for one type leave the choice to
        // the order of the list, which is no ground for installing software: refused. The bare
        // `B` is the fallback of a version without a bundle of its own (e.g. the one version
        // named before versioned names were needed), so it yields to a versioned one.
        let mut versioned: Vec<String> = Vec::new();
        for cand in [
            derived_name.clone(),
            format!("safSmfBundle={base}-{version}"),
            format!("safSmfBundle={base}_{version}"),
            format!("safSmfBundle={base}{version}"),
        ] {
            if is_bundle(imm, &cand) && !versioned.contains(&cand) {
                versioned.push(cand);
            }
        }
        let found = match versioned.as_slice() {
            [one] => Some(one.clone()),
            [] => {
                let bare = format!("safSmfBundle={base}");
                is_bundle(imm, &bare).then_some(bare)
            }
            many => {
                return Err(assumption(
                    "§6.2 (6)",
                    origin,
                    ty,
                    format!(
                        "which software bundle installs this EE type is ambiguous: {} of the same configuration all match the naming convention (rename or remove all but one)",
                        many.iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        };
        let name = match found {
            Some(b) => b,
            None if base.is_empty() || digits.is_empty() => {
                // Without a base type name and a version there is nothing to derive a name from.
                return Err(assumption(
                    "§6.2 (6)",
                    origin,
                    ty,
                    format!(
                        "no software bundle installs this EE type and none can be derived from its name: expected an SaSmfSwBundle `safSmfBundle={base}{digits}`, `{base}-{version}`, `{base}_{version}`, `{base}{version}` or `{base}` in the same configuration"
                    ),
                ));
            }
            // The other configuration's object of that name is that bundle: it exists when the
            // step runs (source) or is added by addToImm (target), so nothing is declared.
            None if is_bundle(other, &derived_name) => derived_name,
            None => {
                if let Some(d) = self.derived.iter_mut().find(|d| d.bundle == derived_name) {
                    if d.ee_type != ty {
                        // One bundle cannot install two types (e.g. versions 1.0 and 10).
                        return Err(assumption(
                            "§6.2 (6)",
                            origin,
                            ty,
                            format!(
                                "no software bundle installs this EE type, and the name derived for it, `{derived_name}`, is also derived for `{}`: add an SaSmfSwBundle for one of them",
                                d.ee_type
                            ),
                        ));
                    }
                    d.in_source |= side == Side::Source;
                    d.in_target |= side == Side::Target;
                } else {
                    self.derived.push(DerivedBundle {
                        bundle: derived_name.clone(),
                        ee_type: ty.to_string(),
                        in_source: side == Side::Source,
                        in_target: side == Side::Target,
                    });
                }
                derived_name
            }
        };
        if side == Side::Target {
            self.for_target.insert(name.clone());
        }
        self.used.insert(name.clone());
        Ok(name)
    }

    fn is_derived(&self, bundle: &str) -> bool {
        self.derived.iter().any(|d| d.bundle == bundle)
    }

    /// A bundle a step uses must exist when it runs: old ones in the source, new ones added,
    /// derived ones declared (§6.5.1).
    pub fn check_used(&self) -> Result<(), Error> {
        for b in &self.used {
            if self.source.get(b).is_none() && self.target.get(b).is_none() && !self.is_derived(b) {
                return Err(assumption("§6.5.1", None, b, "bundle missing".into()));
            }
        }
        Ok(())
    }
}

/// The `SaSmfSwBundle` object a derived bundle is declared as. Its scripts are placeholders in
/// the layout, scope and timeout of the case study's EE bundles
/// (`/hostfs/smf/bundles/<name>/install-online.sh`, …), for the operator to provide: the
/// configurations say nothing about the software, and SMF needs a script for each phase.
pub(super) fn derived_bundle_object(d: &DerivedBundle) -> ImmObject {
    let name = d.bundle.strip_prefix("safSmfBundle=").unwrap_or(&d.bundle);
    let script = |what: &str| format!("/hostfs/smf/bundles/{name}/{what}.sh");
    let attr = |n: &str, v: String| ImmAttr {
        name: n.to_string(),
        values: vec![v],
    };
    ImmObject {
        class: "SaSmfSwBundle".into(),
        dn: d.bundle.clone(),
        attrs: vec![
            attr("saSmfBundleDefaultCmdTimeout", "600000000000".into()),
            attr("saSmfBundleInstallOnlineCmdUri", script("install-online")),
            attr("saSmfBundleInstallOfflineCmdUri", script("install-offline")),
            attr("saSmfBundleInstallOfflineScope", "5".into()),
            attr("saSmfBundleRemoveOnlineCmdUri", script("remove-online")),
            attr("saSmfBundleRemoveOfflineCmdUri", script("remove-offline")),
            attr("saSmfBundleRemoveOfflineScope", "5".into()),
        ],
        file: "generate".into(),
        line: 0,
    }
}
