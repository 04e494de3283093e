//! The upgrade campaign as a whole (UCS `upgradeCampaign`, thesis §2.8.4): its initialization
//! (the software bundles and AMF entity types it adds, callbacks, custom actions), its
//! procedures, and its wrap-up (what it removes once committed). The bundles are kept with the
//! scripts and scopes SMF runs them with, since an offline installation takes its scope out of
//! service.

use super::{Callback, Cli, CustomAction, ExecEnv, Procedure};
use std::collections::BTreeMap;

/// A parsed upgrade campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Campaign {
    /// The file it was read from, as given (used in messages).
    pub file: String,
    /// `safSmfCampaign`, e.g. `safSmfCampaign=campaign_rolling_comp`.
    pub name: String,
    /// `campaignPeriod/@saSmfCmpgExpectedTime`.
    pub expected_time: Option<i64>,
    /// `configurationBase/@saSmfCmpgConfigBase`.
    pub config_base: Option<i64>,
    pub init: Initialization,
    /// In document order (not sorted by execution level).
    pub procedures: Vec<Procedure>,
    pub wrapup: Wrapup,
}

impl Campaign {
    /// The procedures grouped by execution level, lowest first: the procedures of one level
    /// run in parallel, the next level starts when all of them have finished (docs/semantics.md §6).
    pub fn levels(&self) -> Vec<(u32, Vec<&Procedure>)> {
        let mut by_level: BTreeMap<u32, Vec<&Procedure>> = BTreeMap::new();
        for p in &self.procedures {
            by_level.entry(p.exec_level).or_default().push(p);
        }
        by_level.into_iter().collect()
    }

    pub fn procedure(&self, name: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.name == name)
    }
}

/// `campaignInitialization`.
#[derive(Clone, Debug, PartialEq)]
pub struct Initialization {
    /// `addToImm/softwareBundle`.
    pub bundles: Vec<Bundle>,
    /// DNs of the AMF entity types `addToImm/amfEntityTypes` adds, base types and versioned types
    /// in document order (`safCompType=A`, `safVersion=1,safCompType=A`, …).
    pub entity_types: Vec<String>,
    /// The component types among them, with what a step type depends on.
    pub component_types: Vec<ComponentType>,
    /// The SG types among them, with their redundancy model (what an SG the campaign creates
    /// needs).
    pub sg_types: Vec<SgTypeDef>,
    pub callbacks_at_init: Vec<Callback>,
    pub callbacks_at_backup: Vec<Callback>,
    pub callbacks_at_rollback: Vec<Callback>,
    pub actions: Vec<CustomAction>,
}

/// A software bundle added by the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub dn: String,
    pub remove_offline: Option<OfflineCli>,
    pub remove_online: Option<Cli>,
    pub install_offline: Option<OfflineCli>,
    pub install_online: Option<Cli>,
    pub default_timeout: Option<i64>,
    pub line: usize,
}

/// An offline (un)installation script with the scope it takes offline
/// (`saSmfBundleInstallOfflineScope` / `saSmfBundleRemoveOfflineScope`).
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineCli {
    pub cli: Cli,
    pub scope: u32,
}

/// A versioned component type added by the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentType {
    pub dn: String,
    /// `swBundle/@saAmfCtSwBundle`.
    pub bundle: Option<String>,
    /// `compTypeDefaults/@saAmfCtDefDisableRestart="1"`: AMF will not restart such components,
    /// so OpenSAF falls back from a reduced to a normal step for them.
    pub restart_disabled: bool,
    pub line: usize,
}

/// A versioned SG type added by the campaign (`SGType`).
#[derive(Clone, Debug, PartialEq)]
pub struct SgTypeDef {
    pub dn: String,
    /// `redundancy/@saAmfSgtRedundancyModel`, as written.
    pub redundancy: String,
    pub line: usize,
}

/// `swAdd` / `swRemove` / `softwareBundleDN`.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleRef {
    pub dn: String,
    pub pathname_prefix: Option<String>,
    pub exec_envs: Vec<ExecEnv>,
}

/// `campaignWrapup`.
#[derive(Clone, Debug, PartialEq)]
pub struct Wrapup {
    pub complete_actions: Vec<CustomAction>,
    /// `waitToCommit/@time` as written (XSD default 0).
    pub wait_to_commit: Option<i64>,
    pub callbacks_at_commit: Vec<Callback>,
    pub wrapup_actions: Vec<CustomAction>,
    /// `waitToAllowNewCampaign/@time` as written (XSD default 0).
    pub wait_to_allow_new_campaign: Option<i64>,
    /// `removeFromImm/amfEntityTypeDN`.
    pub remove_entity_types: Vec<String>,
    /// `removeFromImm/softwareBundleDN`.
    pub remove_bundles: Vec<BundleRef>,
}
