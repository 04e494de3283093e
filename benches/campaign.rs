//! Campaign exploration throughput: `cargo bench --bench campaign`.
//!
//! Every configuration runs the pipeline of `smfcheck check` (src/cli/run.rs `run_check`, which
//! builds its model with `smfcheck::load`): parse the campaign and the IMM files, then
//! `load::campaign_model` (index what the campaign creates, merge, build the plan with the thesis
//! semantics and default max-retry 1), and explore with a fault budget of 1 and the default
//! claims (`properties/campaign.props`, as `smfcheck::claim_sets` embeds it). Before benchmarking, each configuration is explored once:
//! every claim must be verified (or witnessed) — otherwise the report of `smfcheck check` is
//! printed and the bench stops — and one line per configuration goes to stderr with the
//! state-space statistics and every claim's verdict. Criterion then reports the time per
//! exploration and, via `Throughput::Elements(unique_states)`, the states explored per second.
//! Parsing and planning are outside the measured loop.
//!
//! Groups:
//! * `thesis_models`: the campaigns in `models/` that `smfcheck check` verifies.
//! * `rolling_hosts`: a generated campaign over H hosts with three layers each (host OS → VMM →
//!   one contained VM hosting one SU of an N-way-active SG): H single-step procedures at exec
//!   levels 0..H-1, each an all-in-phase embedded step of degree 3 (VM, VMM, host OS), the shape
//!   of the thesis's case study (§7.2.4, Fig. 7.9).

/// The allocator of the binary (src/main.rs), so the figures are those users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use smfcheck::campaign::model::CampaignModel;
use smfcheck::check::{Claim, Limits, Outcome, Verdict, explore};
use smfcheck::properties::campaign_registry;
use smfcheck::report::text;
use smfcheck::spec::{CampaignOptions, SemanticsName};
use smfcheck::xml::campaign::{Campaign, parse_campaign, parse_campaign_str};
use smfcheck::xml::imm::{ImmFile, parse_imm, parse_imm_str};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// The campaigns of `models/` that `smfcheck check` verifies: (label, campaign, IMM files),
/// paths relative to `models/`.
const THESIS_MODELS: &[(&str, &str, &[&str])] = &[
    (
        "thesis-case-study",
        "thesis-case-study/expected-campaign.xml",
        &[
            "thesis-case-study/source.xml",
            "thesis-case-study/compat.xml",
        ],
    ),
    (
        "vm-vmm",
        "vm-vmm/campaign.xml",
        &["vm-vmm/source.xml", "vm-vmm/compat.xml"],
    ),
    (
        "ubuntu-to-windows-in-phase",
        "ubuntu-to-windows/in-phase.xml",
        &[
            "ubuntu-to-windows/config.xml",
            "ubuntu-to-windows/compat.xml",
        ],
    ),
    (
        "ubuntu-to-windows-single-layer",
        "ubuntu-to-windows/single-layer-in-phase.xml",
        &[
            "ubuntu-to-windows/config.xml",
            "ubuntu-to-windows/compat.xml",
        ],
    ),
    (
        "vlc-2n-rolling-os",
        "vlc-2n/rolling-os-upgrade.xml",
        &["vlc-2n/config.xml", "vlc-2n/compat.xml"],
    ),
    (
        "vlc-2n-add-before-remove",
        "vlc-2n/add-before-remove.xml",
        &["vlc-2n/config.xml", "vlc-2n/compat.xml"],
    ),
];
/// Host counts of the generated rolling campaign (three layers per host).
const HOSTS: &[usize] = &[2, 4, 8, 16];
const FAULTS: u8 = 1;
const SEMANTICS: SemanticsName = SemanticsName::Thesis;
const DEFAULT_MAX_RETRY: u8 = 1;
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(2);

/// One configuration: the campaign model with its default claims.
struct Config {
    label: String,
    model: CampaignModel,
    claims: Vec<Claim<CampaignModel>>,
}

impl Config {
    /// `run_check`'s pipeline on a parsed campaign and its parsed IMM files.
    fn new(label: String, campaign: Campaign, files: Vec<ImmFile>) -> Self {
        let options = CampaignOptions {
            semantics: SEMANTICS,
            faults: FAULTS,
            default_max_retry: DEFAULT_MAX_RETRY,
            ..CampaignOptions::default()
        };
        let model = smfcheck::load::campaign_model(&campaign, files, None, &options)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let selection = smfcheck::claim_sets::campaign()
            .unwrap_or_else(|e| panic!("properties/campaign.props: {e}"));
        let claims = campaign_registry()
            .into_iter()
            .filter(|e| selection.contains(&e.name))
            .collect();
        Config {
            label,
            model,
            claims,
        }
    }

    fn from_files(label: &str, campaign: &str, imm: &[&str]) -> Self {
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let campaign = parse_campaign(models.join(campaign))
            .unwrap_or_else(|e| panic!("{label}: {campaign}: {e}"));
        let files = imm
            .iter()
            .map(|f| parse_imm(models.join(f)).unwrap_or_else(|e| panic!("{label}: {f}: {e}")))
            .collect();
        Config::new(label.to_string(), campaign, files)
    }

    fn rolling_hosts(hosts: usize) -> Self {
        let label = format!("H={hosts}");
        let cfg_name = format!("rolling-hosts-{hosts}-config.xml");
        let camp_name = format!("rolling-hosts-{hosts}-campaign.xml");
        let (cfg_text, camp_text) = (rolling_config(hosts), rolling_campaign(hosts));
        // CAMPAIGN_BENCH_DUMP=DIR writes the generated files, to rerun them with `smfcheck check`.
        if let Some(dir) = std::env::var_os("CAMPAIGN_BENCH_DUMP") {
            let dir = Path::new(&dir);
            std::fs::write(dir.join(&cfg_name), &cfg_text).expect("dump configuration");
            std::fs::write(dir.join(&camp_name), &camp_text).expect("dump campaign");
        }
        let cfg = parse_imm_str(&cfg_name, &cfg_text)
            .unwrap_or_else(|e| panic!("{label}: generated configuration: {e}"));
        let campaign = parse_campaign_str(&camp_name, &camp_text)
            .unwrap_or_else(|e| panic!("{label}: generated campaign: {e}"));
        Config::new(label, campaign, vec![cfg])
    }

    fn run(&self) -> Outcome<CampaignModel> {
        explore(&self.model, &self.claims, &Limits::default())
    }

    /// Explore once, insist on every claim verified or witnessed, print the statistics line, and
    /// return the number of unique states and the time of that exploration.
    fn report(&self) -> (usize, Duration) {
        let o = self.run();
        let ok = o.cut_short.is_none()
            && o.results
                .iter()
                .all(|r| matches!(r.verdict, Verdict::Verified | Verdict::Witnessed));
        if !ok {
            eprint!(
                "{}",
                text::render(&self.model, &self.label, &self.claims, &o)
            );
            panic!(
                "{}: not every claim is verified or witnessed (cut short: {:?}); see the report above",
                self.label, o.cut_short
            );
        }
        let s = &o.stats;
        let mut verdicts = String::new();
        for r in &o.results {
            let _ = write!(verdicts, " {}={}", r.name, r.verdict.word());
        }
        eprintln!(
            "{} faults={} procedures={} unique_states={} transitions={} state_bytes={} explorer_bytes_per_state={:.1} time={:.3}s verdicts:{}",
            self.label,
            self.model.faults,
            self.model.procs.len(),
            s.unique_states,
            s.transitions,
            s.state_bytes,
            s.bytes_per_state,
            s.elapsed.as_secs_f64(),
            verdicts
        );
        (s.unique_states, s.elapsed)
    }
}

const DOMAIN: &str = "safDomain=domain_1";
const IMM_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<imm:IMM-contents xmlns:imm="http://www.saforum.org/IMMSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="SAI-AIS-IMM-XSD-A.02.13.xsd">
"#;
/// The three layers of a host, outermost (layer 1 of the embedded step) first:
/// (EE name prefix, EE base type, bundle prefix).
const LAYERS: [(&str, &str, &str); 3] = [
    ("VM", "GuestVM", "GuestVM"),
    ("VMM", "Xen", "Xen"),
    ("OS", "HostOS", "HostOS"),
];

fn ee_dn(layer: usize, host: usize) -> String {
    // VM-i is contained in VMM-i, VMM-i in OS-i, OS-i is a child of the domain.
    (layer..LAYERS.len())
        .map(|l| format!("safEE={}-{host}", LAYERS[l].0))
        .chain(std::iter::once(DOMAIN.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

fn ee_type_dn(layer: usize, version: u8) -> String {
    format!("safVersion={version},safEEType={}", LAYERS[layer].1)
}

fn bundle_dn(layer: usize, version: u8) -> String {
    format!("safSmfBundle={}-{version}", LAYERS[layer].2)
}

fn object(out: &mut String, class: &str, dn: &str, attrs: &[(&str, &str)]) {
    let _ = writeln!(out, "  <object class=\"{class}\">\n    <dn>{dn}</dn>");
    for (name, value) in attrs {
        let _ = writeln!(
            out,
            "    <attr>\n      <name>{name}</name>\n      <value>{value}</value>\n    </attr>"
        );
    }
    out.push_str("  </object>\n");
}

/// The IMM configuration of the rolling workload: H hosts, each OS-i ⊃ VMM-i ⊃ VM-i (contained,
/// not migratable); VM-i hosts CLM and AMF node VM-i with SU-i of the N-way-active SG-1 that
/// protects SI-1. Layer compatibility as in the case study: each layer (type and bundle) only on
/// the same generation of the layer below.
fn rolling_config(hosts: usize) -> String {
    let mut x = String::from(IMM_HEAD);
    x.push_str(COMPAT_CLASS);
    object(
        &mut x,
        "SaPlmDomain",
        DOMAIN,
        &[("saPlmHEDeactivationPolicy", "2")],
    );
    for (l, (_, base, _)) in LAYERS.iter().enumerate() {
        object(
            &mut x,
            "SaPlmEEBaseType",
            &format!("safEEType={base}"),
            &[("saPlmEetProduct", base), ("saPlmEetVendor", "Bench Inc")],
        );
        object(
            &mut x,
            "SaPlmEEType",
            &ee_type_dn(l, 1),
            &[
                ("saPlmEetDefInstantiateTimeout", "300000000000"),
                ("saPlmEetDefTerminateTimeout", "300000000000"),
            ],
        );
    }
    object(&mut x, "SaClmCluster", "safCluster=myClmCluster", &[]);
    object(
        &mut x,
        "SaAmfCluster",
        "safAmfCluster=myAmfCluster",
        &[
            ("saAmfClusterStartupTimeout", "10000000000"),
            ("saAmfClusterClmCluster", "safCluster=myClmCluster"),
        ],
    );
    for h in 1..=hosts {
        for l in (0..LAYERS.len()).rev() {
            object(
                &mut x,
                "SaPlmEE",
                &ee_dn(l, h),
                &[("saPlmEEType", &ee_type_dn(l, 1))],
            );
        }
        let vm = ee_dn(0, h);
        let clm = format!("safNode=VM-{h},safCluster=myClmCluster");
        let addr = format!("10.0.{}.{}", h / 200, h % 200 + 10);
        object(
            &mut x,
            "SaClmNode",
            &clm,
            &[
                ("saClmNodeEE", &vm),
                ("saClmNodeAddressFamily", "1"),
                ("saClmNodeAddress", &addr),
                ("saClmNodeDisableReboot", "0"),
            ],
        );
        object(
            &mut x,
            "SaAmfNode",
            &format!("safAmfNode=VM-{h},safAmfCluster=myAmfCluster"),
            &[
                ("saAmfNodeClmNode", &clm),
                ("saAmfNodeSuFailOverProb", "1200000000000"),
                ("saAmfNodeSuFailoverMax", "2"),
            ],
        );
    }
    // AMF: one N-way-active SG with one SU per VM, protecting one SI.
    object(&mut x, "SaAmfAppBaseType", "safAppType=App", &[]);
    object(
        &mut x,
        "SaAmfAppType",
        "safVersion=1,safAppType=App",
        &[("saAmfApptSGTypes", "safVersion=1,safSgType=App-NWayActive")],
    );
    object(&mut x, "SaAmfSGBaseType", "safSgType=App-NWayActive", &[]);
    object(
        &mut x,
        "SaAmfSGType",
        "safVersion=1,safSgType=App-NWayActive",
        &[
            ("saAmfSgtRedundancyModel", "4"),
            ("saAmfSgtValidSuTypes", "safVersion=1,safSuType=App"),
            ("saAmfSgtDefAutoAdjustProb", "10000000000"),
            ("saAmfSgtDefCompRestartProb", "4000000000"),
            ("saAmfSgtDefCompRestartMax", "10"),
            ("saAmfSgtDefSuRestartProb", "4000000000"),
            ("saAmfSgtDefSuRestartMax", "10"),
        ],
    );
    object(&mut x, "SaAmfSUBaseType", "safSuType=App", &[]);
    object(
        &mut x,
        "SaAmfSUType",
        "safVersion=1,safSuType=App",
        &[
            ("saAmfSutIsExternal", "0"),
            ("saAmfSutDefSUFailover", "1"),
            ("saAmfSutProvidesSvcTypes", "safVersion=1,safSvcType=App"),
        ],
    );
    object(&mut x, "SaAmfCompBaseType", "safCompType=AppServer", &[]);
    object(
        &mut x,
        "SaAmfCompType",
        "safVersion=1,safCompType=AppServer",
        &[
            ("saAmfCtCompCategory", "1"),
            ("saAmfCtDefClcCliTimeout", "10000000000"),
            ("saAmfCtDefCallbackTimeout", "10000000000"),
            ("saAmfCtRelPathInstantiateCmd", "app_script"),
            ("saAmfCtDefInstantiateCmdArgv", "instantiate"),
            ("saAmfCtRelPathCleanupCmd", "app_script"),
            ("saAmfCtDefCleanupCmdArgv", "cleanup"),
            ("saAmfCtDefRecoveryOnError", "2"),
            ("saAmfCtDefDisableRestart", "0"),
        ],
    );
    object(&mut x, "SaAmfSvcBaseType", "safSvcType=App", &[]);
    object(&mut x, "SaAmfSvcType", "safVersion=1,safSvcType=App", &[]);
    object(&mut x, "SaAmfCSBaseType", "safCSType=App", &[]);
    object(&mut x, "SaAmfCSType", "safVersion=1,safCSType=App", &[]);
    object(
        &mut x,
        "SaAmfApplication",
        "safApp=App",
        &[("saAmfAppType", "safVersion=1,safAppType=App")],
    );
    object(
        &mut x,
        "SaAmfSG",
        "safSg=SG-1,safApp=App",
        &[
            ("saAmfSGType", "safVersion=1,safSgType=App-NWayActive"),
            ("saAmfSGAutoRepair", "1"),
            ("saAmfSGAutoAdjust", "0"),
        ],
    );
    for h in 1..=hosts {
        let su = format!("safSu=SU-{h},safSg=SG-1,safApp=App");
        object(
            &mut x,
            "SaAmfSU",
            &su,
            &[
                ("saAmfSUType", "safVersion=1,safSuType=App"),
                ("saAmfSURank", &h.to_string()),
                (
                    "saAmfSUHostNodeOrNodeGroup",
                    &format!("safAmfNode=VM-{h},safAmfCluster=myAmfCluster"),
                ),
                ("saAmfSUAdminState", "1"),
            ],
        );
        object(
            &mut x,
            "SaAmfComp",
            &format!("safComp=Server,{su}"),
            &[("saAmfCompType", "safVersion=1,safCompType=AppServer")],
        );
    }
    object(
        &mut x,
        "SaAmfSI",
        "safSi=SI-1,safApp=App",
        &[
            ("saAmfSvcType", "safVersion=1,safSvcType=App"),
            ("saAmfSIProtectedbySG", "safSg=SG-1,safApp=App"),
            ("saAmfSIRank", "1"),
            ("saAmfSIPrefActiveAssignments", &hosts.to_string()),
        ],
    );
    object(
        &mut x,
        "SaAmfCSI",
        "safCsi=App,safSi=SI-1,safApp=App",
        &[("saAmfCSType", "safVersion=1,safCSType=App")],
    );
    // The source software catalogue.
    for l in 0..LAYERS.len() {
        let b = bundle_dn(l, 1);
        let dir = format!("/hostfs/smf/bundles/{}", &b["safSmfBundle=".len()..]);
        object(
            &mut x,
            "SaSmfSwBundle",
            &b,
            &[
                ("saSmfBundleDefaultCmdTimeout", "600000000000"),
                (
                    "saSmfBundleInstallOnlineCmdUri",
                    &format!("{dir}/install-online.sh"),
                ),
                (
                    "saSmfBundleInstallOfflineCmdUri",
                    &format!("{dir}/install-offline.sh"),
                ),
                ("saSmfBundleInstallOfflineScope", "5"),
                (
                    "saSmfBundleRemoveOnlineCmdUri",
                    &format!("{dir}/remove-online.sh"),
                ),
                (
                    "saSmfBundleRemoveOfflineCmdUri",
                    &format!("{dir}/remove-offline.sh"),
                ),
                ("saSmfBundleRemoveOfflineScope", "5"),
            ],
        );
    }
    // Compatibility: layer l (type and bundle) of generation v only on generation v of layer l+1.
    for (l, &(_, base, bundle)) in LAYERS.iter().enumerate().take(LAYERS.len() - 1) {
        for v in 1..=2u8 {
            let lower = ee_type_dn(l + 1, v);
            object(
                &mut x,
                "SmfcheckCompatibility",
                &format!("smfcheckCompat={base}{v}-type"),
                &[
                    ("smfcheckUpper", &ee_type_dn(l, v)),
                    ("smfcheckLower", &lower),
                ],
            );
            object(
                &mut x,
                "SmfcheckCompatibility",
                &format!("smfcheckCompat={bundle}{v}-bundle"),
                &[
                    ("smfcheckUpper", &bundle_dn(l, v)),
                    ("smfcheckLower", &lower),
                ],
            );
        }
    }
    x.push_str("</imm:IMM-contents>\n");
    x
}

/// `SmfcheckCompatibility`, as defined in the models' compat.xml files.
const COMPAT_CLASS: &str = r#"  <class name="SmfcheckCompatibility">
    <category>SA_CONFIG</category>
    <rdn>
      <name>smfcheckCompat</name>
      <type>SA_STRING_T</type>
      <category>SA_CONFIG</category>
      <flag>SA_INITIALIZED</flag>
    </rdn>
    <attr>
      <name>smfcheckUpper</name>
      <type>SA_NAME_T</type>
      <category>SA_CONFIG</category>
      <flag>SA_INITIALIZED</flag>
    </attr>
    <attr>
      <name>smfcheckLower</name>
      <type>SA_NAME_T</type>
      <category>SA_CONFIG</category>
      <flag>SA_MULTI_VALUE</flag>
      <flag>SA_INITIALIZED</flag>
      <flag>SA_WRITABLE</flag>
    </attr>
  </class>
"#;

/// The rolling campaign, shaped like `models/thesis-case-study/expected-campaign.xml`: new
/// bundles and EE type versions in the initialisation; procedure i at exec level i-1 upgrades
/// host i with one embedded step of degree 3 (VM-i, VMM-i, OS-i; all in-phase); the wrap-up
/// removes the old types and bundles.
fn rolling_campaign(hosts: usize) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="utf-8"?>
<upgradeCampaign xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" safSmfCampaign="safSmfCampaign=rolling_hosts">
  <campaignInfo>
    <campaignPeriod saSmfCmpgExpectedTime="3600000000000"/>
  </campaignInfo>
  <campaignInitialization>
    <addToImm>
"#,
    );
    for l in 0..LAYERS.len() {
        let b = bundle_dn(l, 2);
        let dir = format!("/hostfs/smf/bundles/{}", &b["safSmfBundle=".len()..]);
        let _ = write!(
            x,
            r#"      <softwareBundle name="{b}">
        <removal>
          <offline command="{dir}/remove-offline.sh" saSmfBundleRemoveOfflineScope="5"/>
          <online command="{dir}/remove-online.sh"/>
        </removal>
        <installation>
          <offline command="{dir}/install-offline.sh" saSmfBundleInstallOfflineScope="5"/>
          <online command="{dir}/install-online.sh"/>
        </installation>
        <defaultCliTimeout saSmfBundleDefaultCmdTimeout="600000000000"/>
      </softwareBundle>
"#
        );
    }
    x.push_str("    </addToImm>\n    <campInitAction>\n      <immCCB ccbFlags=\"0\">\n");
    for (_, base, _) in LAYERS {
        let _ = write!(
            x,
            r#"        <create objectClassName="SaPlmEEType" parentObjectDN="safEEType={base}">
          <attribute name="safVersion" type="SA_IMM_ATTR_SASTRINGT">
            <value>safVersion=2</value>
          </attribute>
          <attribute name="saPlmEetDefInstantiateTimeout" type="SA_IMM_ATTR_SATIMET">
            <value>300000000000</value>
          </attribute>
          <attribute name="saPlmEetDefTerminateTimeout" type="SA_IMM_ATTR_SATIMET">
            <value>300000000000</value>
          </attribute>
        </create>
"#
        );
    }
    x.push_str("      </immCCB>\n    </campInitAction>\n  </campaignInitialization>\n");
    for h in 1..=hosts {
        let _ = write!(
            x,
            r#"  <upgradeProcedure safSmfProcedure="safSmfProc=UpgradeHost-{h}" saSmfExecLevel="{}">
    <outageInfo>
      <acceptableServiceOutage>
        <none/>
      </acceptableServiceOutage>
      <procedurePeriod saSmfProcPeriod="600000000000"/>
    </outageInfo>
    <upgradeMethod>
      <singleStepUpgrade>
"#,
            h - 1
        );
        for l in 0..LAYERS.len() {
            let _ = write!(
                x,
                r#"        <upgradeScope>
          <forModify>
            <activationUnit>
              <actedOn>
                <byName objectDN="{ee}"/>
              </actedOn>
              <swRemove bundleDN="{old_b}"/>
              <swAdd bundleDN="{new_b}"/>
            </activationUnit>
            <targetEntityTemplate>
              <type objectDN="{old_t}"/>
              <modifyOperation operation="SA_IMM_ATTR_VALUES_REPLACE">
                <attribute name="saPlmEEType" type="SA_IMM_ATTR_SANAMET">
                  <value>{new_t}</value>
                </attribute>
              </modifyOperation>
            </targetEntityTemplate>
          </forModify>
        </upgradeScope>
        <upgradeStep saSmfStepMaxRetry="1" saSmfStepInPhaseStep="1"/>
"#,
                ee = ee_dn(l, h),
                old_b = bundle_dn(l, 1),
                new_b = bundle_dn(l, 2),
                old_t = ee_type_dn(l, 1),
                new_t = ee_type_dn(l, 2),
            );
        }
        x.push_str("      </singleStepUpgrade>\n    </upgradeMethod>\n  </upgradeProcedure>\n");
    }
    x.push_str("  <campaignWrapup>\n    <waitToCommit/>\n    <campWrapupAction>\n      <immCCB ccbFlags=\"0\">\n");
    for l in 0..LAYERS.len() {
        let _ = writeln!(x, "        <delete objectDN=\"{}\"/>", ee_type_dn(l, 1));
    }
    x.push_str("      </immCCB>\n    </campWrapupAction>\n    <waitToAllowNewCampaign/>\n    <removeFromImm>\n");
    for l in 0..LAYERS.len() {
        let _ = writeln!(
            x,
            "      <softwareBundleDN bundleDN=\"{}\"/>",
            bundle_dn(l, 1)
        );
    }
    x.push_str("    </removeFromImm>\n  </campaignWrapup>\n</upgradeCampaign>\n");
    x
}

fn bench_configs(c: &mut Criterion, group: &str, configs: &[Config]) {
    let runs: Vec<(usize, Duration)> = configs.iter().map(Config::report).collect();
    let mut g = c.benchmark_group(group);
    g.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP);
    for (cfg, &(n, once)) in configs.iter().zip(&runs) {
        // Criterion's linear sampling runs 1+2+…+10 = 55 iterations at least; when that does not
        // fit in MEASUREMENT (H=16), take 10 flat samples over a window sized from the first run.
        if once.mul_f64(55.0) > MEASUREMENT {
            g.sampling_mode(SamplingMode::Flat)
                .measurement_time(MEASUREMENT.max(once.mul_f64(SAMPLE_SIZE as f64 * 2.0)));
        } else {
            g.sampling_mode(SamplingMode::Auto)
                .measurement_time(MEASUREMENT);
        }
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new(&cfg.label, format!("faults={}", cfg.model.faults)),
            cfg,
            |b, cfg| b.iter(|| black_box(cfg.run())),
        );
    }
    g.finish();
}

fn thesis_models(c: &mut Criterion) {
    let configs: Vec<Config> = THESIS_MODELS
        .iter()
        .map(|&(label, campaign, imm)| Config::from_files(label, campaign, imm))
        .collect();
    bench_configs(c, "thesis_models", &configs);
}

fn rolling_hosts(c: &mut Criterion) {
    let configs: Vec<Config> = HOSTS.iter().map(|&h| Config::rolling_hosts(h)).collect();
    bench_configs(c, "rolling_hosts", &configs);
}

criterion_group!(benches, thesis_models, rolling_hosts);
criterion_main!(benches);
