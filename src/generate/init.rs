//! Campaign initialization (thesis §6.5.1): the new software bundles (`addToImm`, the derived
//! ones after the configured ones), the new types (a CCB of creates), and the catching of the
//! VMs (§5.3.2, Fig. 7.7): each caught VM's `saPlmDepNames` replaced by the one sponsor it is
//! upgraded with, before any procedure runs.

use super::Op;
use super::bundles::{Bundles, derived_bundle_object};
use super::catching::Caught;
use super::context::{Cx, is_type_class, new_objects};
use super::elements::{ccb, create, dep_modify};
use super::out::El;
use super::tree::Tree;
use crate::xml::imm::{Imm, ImmObject};
use std::collections::BTreeMap;

/// `<campaignInitialization>`; `owner` tells hosted objects (which go with their EE) from types.
pub(super) fn initialization(
    cx: &Cx,
    tree: &Tree,
    caught: &Caught,
    owner: &BTreeMap<String, usize>,
    bundles: &Bundles,
) -> El {
    let (source, target) = (cx.source, cx.target);
    let ees = &tree.ees;
    let is_type = |o: &ImmObject| is_type_class(&o.class) && !owner.contains_key(&o.dn);
    let is_bundle = |o: &ImmObject| o.class == "SaSmfSwBundle";
    let mut init = El::new("campaignInitialization");
    let mut added_bundles = new_objects(source, target, &is_bundle);
    // Derived bundles after the configured ones, so that inputs with bundles for every type
    // give the same campaign as before bundles were derived.
    added_bundles.extend(bundles.derived.iter().map(derived_bundle_object));
    // The XSD requires addToImm, even when empty.
    init.push(El::new("addToImm").children(added_bundles.iter().map(software_bundle)));
    let added_types = new_objects(source, target, &is_type);
    if !added_types.is_empty() {
        init.push(
            El::new("campInitAction").child(ccb(added_types
                .iter()
                .map(|o| create("create", target, o))
                .collect())),
        );
    }
    let dep_of = |imm: &Imm, vm: &str| -> Option<String> {
        imm.children(vm)
            .find(|o| o.class == "SaPlmDependency")
            .map(|o| o.dn.clone())
    };
    // An added VM is not caught here: it is added on its one sponsor (§6.5.2).
    let catching: Vec<El> = caught
        .iter()
        .filter(|(v, _)| ees[*v].op != Op::Add)
        .filter_map(|&(v, sk)| {
            dep_of(source, &ees[v].dn).map(|d| dep_modify(&d, &[ees[sk].dn.clone()]))
        })
        .collect();
    if !catching.is_empty() {
        init = init
            .comment("Catching the VMs (§5.3.2, §6.5.1, Fig. 7.7): each on one sponsor")
            .child(El::new("campInitAction").child(ccb(catching)));
    }
    init
}

/// `<softwareBundle>` of `addToImm` from an `SaSmfSwBundle` object.
fn software_bundle(o: &ImmObject) -> El {
    let cli = |tag: &'static str, cmd: &str, args: &str, scope: Option<(&'static str, &str)>| {
        let mut el = El::new(tag).attr("command", o.value(cmd).unwrap_or("/bin/true"));
        if let Some(a) = o.value(args) {
            el = el.attr("args", a);
        }
        if let Some((k, attr)) = scope {
            el = el.attr(k, o.value(attr).unwrap_or("1"));
        }
        el
    };
    El::new("softwareBundle")
        .attr("name", &o.dn)
        .child(
            El::new("removal")
                .child(cli(
                    "offline",
                    "saSmfBundleRemoveOfflineCmdUri",
                    "saSmfBundleRemoveOfflineCmdArgs",
                    Some((
                        "saSmfBundleRemoveOfflineScope",
                        "saSmfBundleRemoveOfflineScope",
                    )),
                ))
                .child(cli(
                    "online",
                    "saSmfBundleRemoveOnlineCmdUri",
                    "saSmfBundleRemoveOnlineCmdArgs",
                    None,
                )),
        )
        .child(
            El::new("installation")
                .child(cli(
                    "offline",
                    "saSmfBundleInstallOfflineCmdUri",
                    "saSmfBundleInstallOfflineCmdArgs",
                    Some((
                        "saSmfBundleInstallOfflineScope",
                        "saSmfBundleInstallOfflineScope",
                    )),
                ))
                .child(cli(
                    "online",
                    "saSmfBundleInstallOnlineCmdUri",
                    "saSmfBundleInstallOnlineCmdArgs",
                    None,
                )),
        )
        .child(
            El::new("defaultCliTimeout").attr(
                "saSmfBundleDefaultCmdTimeout",
                o.value("saSmfBundleDefaultCmdTimeout")
                    .unwrap_or("600000000000"),
            ),
        )
}
