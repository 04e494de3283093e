//! Size boundaries and references of the campaign model (issue "hardening", classes 1–3): every
//! fixed-width index of the explored state has a checked limit at load time, so input beyond it
//! is refused with exit 2 naming the limit and file:line — never a wrapped index, a panic or a
//! silently partial exploration — and a campaign that names what does not exist is refused.
//! Inputs are variants of `models/soundness/outage-max/` written to a scratch directory.

use super::support::{Scratch, models, scratch, smfcheck_in};
use std::path::Path;

/// `check CAMPAIGN --config config.xml --compat compat.xml --faults 0 --quiet` (and `more`) in
/// `dir`.
fn run(dir: &Path, campaign: &str, more: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "check",
        campaign,
        "--config",
        "config.xml",
        "--compat",
        "compat.xml",
        "--faults",
        "0",
        "--quiet",
    ];
    args.extend(more);
    smfcheck_in(dir, &args)
}

/// A copy of `models/soundness/outage-max/` to write variants of its campaign and
/// configuration into.
struct OutageMax {
    dir: Scratch,
    campaign: String,
    config: String,
}

fn outage_max() -> OutageMax {
    let src = models("soundness/outage-max");
    let dir = scratch("limits");
    std::fs::copy(src.join("compat.xml"), dir.join("compat.xml")).unwrap();
    OutageMax {
        dir,
        campaign: std::fs::read_to_string(src.join("all.xml")).unwrap(),
        config: std::fs::read_to_string(src.join("config.xml")).unwrap(),
    }
}

impl OutageMax {
    fn check(&self, campaign: &str, config: &str) -> (i32, String, String) {
        std::fs::write(self.dir.join("c.xml"), campaign).unwrap();
        std::fs::write(self.dir.join("config.xml"), config).unwrap();
        run(&self.dir, "c.xml", &[])
    }

    /// The campaign's one procedure, its text from `<upgradeProcedure` to its end tag.
    fn procedure(&self) -> (usize, usize) {
        let a = self.campaign.find("<upgradeProcedure").unwrap();
        let b = self.campaign.find("</upgradeProcedure>").unwrap() + "</upgradeProcedure>".len();
        (a, b)
    }
}

/// Where the value of the first SU's `saAmfSUHostNodeOrNodeGroup` is in a configuration's text.
fn first_su_host(config: &str) -> (usize, usize) {
    let su = config.find("<object class=\"SaAmfSU\">").unwrap();
    let attr = su
        + config[su..]
            .find("<name>saAmfSUHostNodeOrNodeGroup</name>")
            .unwrap();
    let start = attr + config[attr..].find("<value>").unwrap() + "<value>".len();
    (start, start + config[start..].find("</value>").unwrap())
}

fn assert_refused(got: (i32, String, String), fragments: &[&str]) {
    let (code, out, err) = got;
    assert_eq!(code, 2, "{out}{err}");
    for f in fragments {
        assert!(err.contains(f), "`{f}` missing from: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// 256 procedures are explored (each at its own level, sequentially); the 257th is refused
/// (procedure numbers are bytes). Before, the index wrapped and a correct campaign was reported
/// violated.
#[test]
fn procedures_beyond_256_are_refused_not_wrapped() {
    let s = outage_max();
    let (a, b) = s.procedure();
    let one = &s.campaign[a..b];
    let many = |n: usize| {
        let procs: String = (0..n)
            .map(|k| {
                one.replace("safSmfProc=AllNodesAtOnce", &format!("safSmfProc=P{k}"))
                    .replace("saSmfExecLevel=\"0\"", &format!("saSmfExecLevel=\"{k}\""))
            })
            .collect::<Vec<_>>()
            .join("\n");
        format!("{}{procs}{}", &s.campaign[..a], &s.campaign[b..])
    };
    assert_refused(
        s.check(&many(257), &s.config),
        &["c.xml:", "257 procedures: at most 256 are supported"],
    );
    let (code, out, err) = s.check(&many(3), &s.config);
    assert_eq!(code, 0, "{out}{err}");
}

/// Two procedures with one name are refused (they used to run as parallel copies).
#[test]
fn duplicate_procedure_names_are_refused() {
    let s = outage_max();
    let (a, b) = s.procedure();
    let one = &s.campaign[a..b];
    let text = format!("{}{one}\n{one}{}", &s.campaign[..a], &s.campaign[b..]);
    let line = text[..text.rfind("<upgradeProcedure").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_refused(
        s.check(&text, &s.config),
        &[
            &format!("c.xml:{line}"),
            "procedure `safSmfProc=AllNodesAtOnce` is defined twice",
        ],
    );
}

/// A bundle that neither the configuration nor the campaign's addToImm declares.
#[test]
fn undeclared_bundles_are_refused() {
    let s = outage_max();
    let text = s.campaign.replace(
        "<swAdd bundleDN=\"safSmfBundle=VLC110\"",
        "<swAdd bundleDN=\"safSmfBundle=NoSuchBundle\"",
    );
    assert_ne!(text, s.campaign);
    assert_refused(
        s.check(&text, &s.config),
        &[
            "c.xml:",
            "element `swAdd`",
            "`safSmfBundle=NoSuchBundle` is neither an SaSmfSwBundle",
        ],
    );
}

/// An SU placed by AMF on an empty node group, and a rolling procedure over an empty node
/// group, are refused (both panicked before).
#[test]
fn empty_placement_and_empty_procedures_are_refused() {
    let s = outage_max();
    // Empty the node group: the rolling procedure over it has no activation unit.
    let list_start = s.config.find("<name>saAmfNGNodeList</name>").unwrap();
    let list_end = list_start + s.config[list_start..].find("</attr>").unwrap();
    let config = format!(
        "{}<name>saAmfNGNodeList</name>\n    {}",
        &s.config[..list_start],
        &s.config[list_end..]
    );
    let (a, b) = s.procedure();
    let rolling = r#"<upgradeProcedure safSmfProcedure="safSmfProc=Rolling" saSmfExecLevel="0">
    <outageInfo><acceptableServiceOutage><all/></acceptableServiceOutage><procedurePeriod saSmfProcPeriod="600000000000"/></outageInfo>
    <upgradeMethod><rollingUpgrade><upgradeScope><byTemplate>
      <targetNodeTemplate objectDN="safAmfNodeGroup=AllNodes,safAmfCluster=myAmfCluster"/>
    </byTemplate></upgradeScope><upgradeStep/></rollingUpgrade></upgradeMethod>
  </upgradeProcedure>"#;
    let text = format!("{}{rolling}{}", &s.campaign[..a], &s.campaign[b..]);
    assert_refused(
        s.check(&text, &config),
        &[
            "c.xml:",
            "procedure `safSmfProc=Rolling` has no activation unit",
        ],
    );
    // An SU that AMF may place on any node of that (empty) group.
    let (value_start, value_end) = first_su_host(&config);
    let config2 = format!(
        "{}safAmfNodeGroup=AllNodes,safAmfCluster=myAmfCluster{}",
        &config[..value_start],
        &config[value_end..]
    );
    assert_refused(
        s.check(&s.campaign, &config2),
        &[
            "config.xml:",
            "may be placed on no node: its node group is empty",
        ],
    );
}

/// A node group of 257 nodes is refused (placements are bytes); before, only one of the 257
/// placements was explored and the run said "verified … exhaustive".
#[test]
fn placement_groups_beyond_256_nodes_are_refused() {
    let s = outage_max();
    let mut extra = String::new();
    let mut members = String::new();
    for k in 0..257 {
        extra.push_str(&format!(
            "  <object class=\"SaAmfNode\"><dn>safAmfNode=X{k},safAmfCluster=myAmfCluster</dn></object>\n"
        ));
        members.push_str(&format!(
            "<value>safAmfNode=X{k},safAmfCluster=myAmfCluster</value>"
        ));
    }
    extra.push_str(&format!(
        "  <object class=\"SaAmfNodeGroup\"><dn>safAmfNodeGroup=Big,safAmfCluster=myAmfCluster</dn><attr><name>saAmfNGNodeList</name>{members}</attr></object>\n"
    ));
    let (value_start, value_end) = first_su_host(&s.config);
    let end = s.config.rfind("</imm:IMM-contents>").unwrap();
    let config = format!(
        "{}safAmfNodeGroup=Big,safAmfCluster=myAmfCluster{}{extra}{}",
        &s.config[..value_start],
        &s.config[value_end..end],
        &s.config[end..]
    );
    assert_refused(
        s.check(&s.campaign, &config),
        &[
            "config.xml:",
            "may be placed on 257 nodes: at most 256 are supported",
        ],
    );
}

/// An SI that depends on another (`SaAmfSIDependency`) is assigned only while its sponsor is
/// (amfd `si_dep.cc`): with SI-2 depending on SI-1, a step that takes down Node-1 (SI-1's only
/// SU) under `max 1` loses both SIs — violated — where without the dependency it loses one;
/// `max3.xml` stays verified.
#[test]
fn si_dependencies_are_followed() {
    let s = outage_max();
    let end = s.config.rfind("</imm:IMM-contents>").unwrap();
    let config = format!(
        "{}  <object class=\"SaAmfSIDependency\"><dn>safDepend=safSi=SI-1\\,safApp=VLC,safSi=SI-2,safApp=VLC</dn></object>\n{}",
        &s.config[..end],
        &s.config[end..]
    );
    let src = models("soundness/outage-max");
    let max3 = std::fs::read_to_string(src.join("max3.xml")).unwrap();
    let (code, out, err) = s.check(&max3, &config);
    assert_eq!(code, 0, "{out}{err}");
    // A procedure that takes only Node-1 down (SI-1's only SU) with `max 1` accepts losing SI-1
    // alone — but SI-2 depends on it and goes too.
    let max1 = std::fs::read_to_string(src.join("max1.xml")).unwrap();
    let one_node = max1
        .replace(
            "<byName objectDN=\"safAmfNode=Node-2,safAmfCluster=myAmfCluster\"/>",
            "",
        )
        .replace(
            "<byName objectDN=\"safAmfNode=Node-3,safAmfCluster=myAmfCluster\"/>",
            "",
        );
    let (code, out, err) = s.check(&one_node, &s.config);
    assert_eq!(code, 0, "without the dependency one SI goes: {out}{err}");
    let (code, out, err) = s.check(&one_node, &config);
    assert_eq!(code, 1, "with it two go: {out}{err}");
    assert!(
        out.contains("si-always-available") && out.contains("SI safSi=SI-2,safApp=VLC"),
        "{out}"
    );
}

/// A property file's byte-order mark is not part of its first name, and an invisible character
/// inside a name is shown escaped (the name then differs visibly from the valid one).
#[test]
fn property_names_with_invisible_characters_are_shown_escaped() {
    let s = outage_max();
    let dir = &s.dir;
    std::fs::write(dir.join("c.xml"), &s.campaign).unwrap();
    std::fs::write(dir.join("config.xml"), &s.config).unwrap();
    std::fs::write(dir.join("bom.props"), "\u{feff}si-always-available\n").unwrap();
    std::fs::write(dir.join("zw.props"), "si-always-\u{200b}available\n").unwrap();
    let with_props = |props: &str| {
        let (code, _, err) = run(dir, "c.xml", &["--properties", props]);
        (code, err)
    };
    assert_eq!(with_props("bom.props").0, 0);
    let (code, err) = with_props("zw.props");
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown property `si-always-\\u{200b}available`"),
        "{err}"
    );
}

/// A migratable VM whose dependency names no sponsor (it panicked before): refused, naming the
/// dependency object and its file:line.
#[test]
fn a_migratable_vm_without_sponsors_is_refused() {
    let src = models("soundness/migration");
    let dir = scratch("limits-migration");
    for f in ["upgrade-vmms.xml", "compat.xml"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let config = std::fs::read_to_string(src.join("config.xml")).unwrap();
    let names = "<name>saPlmDepNames</name>";
    let at = config.find(names).unwrap();
    let end = at + config[at..].find("</attr>").unwrap();
    let config = format!("{}{names}\n    {}", &config[..at], &config[end..]);
    std::fs::write(dir.join("config.xml"), config).unwrap();
    let (code, out, err) = run(&dir, "upgrade-vmms.xml", &[]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("names no saPlmDepNames"), "{err}");
    // The dependency object's line (a little above its saPlmDepNames).
    assert!(err.contains("config.xml:"), "{err}");
    assert!(!err.contains("panicked"));
}
