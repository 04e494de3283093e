//! Reading large inputs: `cargo bench --bench imm_load`.
//!
//! Issue #13 found the readers super-linear (40 k IMM objects took 15.6 s, 100 k nested levels
//! of campaign content 42 s). These groups keep them linear:
//! * `imm_load`: a generated AMF configuration of 100 000 objects (one application, 1 000
//!   service groups, each with 33 SUs of two components; every object with two attributes),
//!   read with `parse_imm_str` and merged with `merge` (duplicate and parent checks included);
//!   `Throughput::Elements` gives objects per second. A 10 000-object configuration is measured
//!   too, so that the two figures show the growth is linear.
//! * `campaign_nesting`: the bundled rolling campaign of `models/vlc-2n/` with 100 000 nested
//!   elements inside `acceptableServiceOutage/none` (xs:anyType content, which the schema pass
//!   must walk without rebuilding paths), read with `parse_campaign_str`.
//!
//! Measured on the 2 shared cores of the development machine (`cargo bench --profile release
//! --bench imm_load`): 10 000 objects 83 ms, 100 000 objects 869 ms (about 115 000 objects/s at
//! both sizes); nesting 10 000 levels 2.7 ms, 100 000 levels 28 ms. Before issue #13's fixes,
//! `smfcheck check` spent 205 s reading the same 100 000-object file and 48 s on 100 000 levels.

/// The allocator of the binary (src/main.rs), so the figures are those users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smfcheck::xml::campaign::parse_campaign_str;
use smfcheck::xml::imm::{merge, parse_imm_str};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

/// An IMM configuration of about `objects` objects (rounded to whole service groups of 100).
pub fn configuration(objects: usize) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<imm:IMM-contents xmlns:imm=\"http://www.saforum.org/IMMSchema\">\n",
    );
    let object = |x: &mut String, class: &str, dn: &str, attrs: &[(&str, &str)]| {
        let _ = write!(x, "  <object class=\"{class}\">\n    <dn>{dn}</dn>\n");
        for (name, value) in attrs {
            let _ = write!(
                x,
                "    <attr>\n      <name>{name}</name>\n      <value>{value}</value>\n    </attr>\n"
            );
        }
        x.push_str("  </object>\n");
    };
    object(
        &mut x,
        "SaAmfApplication",
        "safApp=Big",
        &[("saAmfAppType", "safVersion=1,safAppType=Big")],
    );
    for g in 0..objects.div_ceil(100) {
        let sg = format!("safSg=SG{g},safApp=Big");
        object(
            &mut x,
            "SaAmfSG",
            &sg,
            &[
                ("saAmfSGType", "safVersion=1,safSgType=Big"),
                ("saAmfSGAdminState", "1"),
            ],
        );
        for u in 0..33 {
            let su = format!("safSu=SU{u},{sg}");
            object(
                &mut x,
                "SaAmfSU",
                &su,
                &[
                    ("saAmfSUType", "safVersion=1,safSuType=Big"),
                    ("saAmfSUHostNodeOrNodeGroup", "safAmfNodeGroup=All"),
                ],
            );
            for c in 0..2 {
                object(
                    &mut x,
                    "SaAmfComp",
                    &format!("safComp=C{c},{su}"),
                    &[
                        ("saAmfCompType", "safVersion=1,safCompType=Big"),
                        ("saAmfCompInstantiateCmdArgv", "start"),
                    ],
                );
            }
        }
    }
    x.push_str("</imm:IMM-contents>\n");
    x
}

fn imm_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("imm_load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for objects in [10_000, 100_000] {
        let text = configuration(objects);
        let n = merge(&[parse_imm_str("big.xml", &text).expect("generated configuration parses")])
            .expect("generated configuration merges")
            .len();
        eprintln!("imm_load/{objects}: {n} objects, {} bytes", text.len());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(objects), &text, |b, text| {
            b.iter(|| {
                let file = parse_imm_str("big.xml", black_box(text)).expect("parses");
                black_box(merge(&[file]).expect("merges").len())
            })
        });
    }
    group.finish();
}

fn campaign_nesting(c: &mut Criterion) {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/vlc-2n/rolling-os-upgrade.xml"
    ))
    .expect("models/vlc-2n/rolling-os-upgrade.xml");
    let mut group = c.benchmark_group("campaign_nesting");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for depth in [10_000, 100_000] {
        let nested = format!(
            "<none>{}{}</none>",
            "<a>".repeat(depth),
            "</a>".repeat(depth)
        );
        let text = base.replacen("<none/>", &nested, 1);
        assert_ne!(text, base, "the campaign has `<none/>` to nest into");
        group.throughput(Throughput::Elements(depth as u64));
        group.bench_with_input(BenchmarkId::from_parameter(depth), &text, |b, text| {
            b.iter(|| black_box(parse_campaign_str("deep.xml", black_box(text)).expect("parses")))
        });
    }
    group.finish();
}

criterion_group!(benches, imm_load, campaign_nesting);
criterion_main!(benches);
