//! Campaign wrap-up (thesis §6.5.3, `campWrapupAction`): once every procedure has run, the VMs
//! are released (§5.3.4, Fig. 7.10: the target's `saPlmDepNames` restored), then the old types
//! are deleted, children before parents, and the old bundles removed (`removeFromImm`).

use super::bundles::Bundles;
use super::catching::Release;
use super::context::{Cx, is_type_class, new_objects};
use super::elements::{ccb, dep_modify};
use super::out::El;
use crate::xml::imm::ImmObject;
use std::collections::BTreeMap;

/// `<campaignWrapup>`; `owner` tells hosted objects (which went with their EE) from types.
pub(super) fn wrapup(
    cx: &Cx,
    released: &[Release],
    owner: &BTreeMap<String, usize>,
    bundles: &Bundles,
) -> El {
    let (source, target) = (cx.source, cx.target);
    let is_type = |o: &ImmObject| is_type_class(&o.class) && !owner.contains_key(&o.dn);
    let is_bundle = |o: &ImmObject| o.class == "SaSmfSwBundle";
    let release_ops: Vec<El> = released
        .iter()
        .map(|r| dep_modify(&r.dependency, &r.sponsors))
        .collect();
    let mut wrapup = El::new("campaignWrapup").child(El::new("waitToCommit"));
    if !release_ops.is_empty() {
        wrapup = wrapup
            .comment("Releasing the VMs (§5.3.4, §6.5.3, Fig. 7.10): the target's dependencies")
            .child(El::new("campWrapupAction").child(ccb(release_ops)));
    }
    let mut old_types = new_objects(target, source, &is_type);
    old_types.reverse();
    if !old_types.is_empty() {
        wrapup.push(
            El::new("campWrapupAction").child(ccb(old_types
                .iter()
                .map(|o| El::new("delete").attr("objectDN", &o.dn))
                .collect())),
        );
    }
    wrapup.push(El::new("waitToAllowNewCampaign"));
    let mut old_bundles: Vec<String> = new_objects(target, source, &is_bundle)
        .into_iter()
        .map(|o| o.dn)
        .filter(|b| !bundles.for_target.contains(b))
        .collect();
    // A bundle derived for an old type leaves the IMM with its type (deleted above when the
    // target does not hold it); while the type stays, the bundle stays as the record of the
    // software still installed for it. Declaring it at all (rather than omitting the swRemove)
    // keeps the step's removal of the old software, as §6.5.2 writes it, with the scripts SMF
    // needs to run it.
    old_bundles.extend(
        bundles
            .derived
            .iter()
            .filter(|d| d.in_source && !d.in_target && target.get(&d.ee_type).is_none())
            .map(|d| d.bundle.clone()),
    );
    // The XSD requires removeFromImm, even when empty.
    wrapup.push(
        El::new("removeFromImm").children(
            old_bundles
                .iter()
                .map(|b| El::new("softwareBundleDN").attr("bundleDN", b)),
        ),
    );
    wrapup
}
