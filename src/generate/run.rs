//! `smfcheck generate`: generate the campaign (thesis Chapter 6) and verify it before it is
//! written. Verification reads back the XML text that would be written, explores it on the
//! source configuration with the checks of `smfcheck check`, and judges success against the
//! target configuration given to the generator (`success-reaches-target` = "the configuration
//! after commit equals the target", `rollback-restores-source` = "equals the source").

use crate::campaign::model::CampaignModel;
use crate::check::Claim;
use crate::check::{Limits, Outcome, explore};
use crate::error::Error;
use crate::output::out;
use crate::properties;
use crate::report::text;
use crate::spec::{CampaignOptions, LimitSpec};
use crate::xml::campaign::parse_campaign_str;
use crate::xml::imm::{self, Imm, ImmFile};
use std::path::PathBuf;

/// What `smfcheck generate` is asked to do (the command line's `GenerateArgs` converted).
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// The source configuration (IMM files, merged).
    pub source: Vec<PathBuf>,
    /// The target configuration (IMM files, merged).
    pub target: Vec<PathBuf>,
    /// Layer compatibility, for both.
    pub compat: Option<PathBuf>,
    /// Where to write the campaign; `-` is standard output.
    pub output: PathBuf,
    /// The campaign's name (`safSmfCampaign=NAME`).
    pub name: String,
    /// Verify before writing.
    pub verify: bool,
    /// Fault budget of the verification.
    pub faults: u8,
    /// Limits of the verification.
    pub limits: LimitSpec,
}

/// The options of the verification's campaign model: `smfcheck check`'s defaults with the
/// fault budget.
fn model_options(faults: u8) -> CampaignOptions {
    CampaignOptions {
        faults,
        ..CampaignOptions::default()
    }
}

/// The campaign model of campaign text `xml` (named `file`) on the source configuration, judged
/// against `target`, with `smfcheck check`'s default options and `faults`.
pub fn model_against_target(
    file: &str,
    xml: &str,
    source_files: &[ImmFile],
    source: &Imm,
    target: &Imm,
    faults: u8,
) -> Result<CampaignModel, Error> {
    let campaign = parse_campaign_str(file, xml)?;
    crate::load::campaign_model(
        &campaign,
        source_files.to_vec(),
        Some((source, target)),
        &model_options(faults),
    )
}

/// Explore `model` with the generator's claims: those `smfcheck check` selects by default
/// (`properties/campaign.props`).
///
/// # Panics
/// When the embedded claim set cannot be read ([`crate::claim_sets::campaign`]); `smfcheck
/// generate` reads it first and reports that as an error.
pub fn verify(
    model: &CampaignModel,
    limits: &Limits,
) -> (Vec<Claim<CampaignModel>>, Outcome<CampaignModel>) {
    let claims = crate::claim_sets::campaign().expect("the bundled campaign.props reads");
    verify_claims(model, limits, claims)
}

/// Explore `model` with the claims named `claims`.
fn verify_claims(
    model: &CampaignModel,
    limits: &Limits,
    claims: &[&str],
) -> (Vec<Claim<CampaignModel>>, Outcome<CampaignModel>) {
    let claims: Vec<_> = properties::campaign_registry()
        .into_iter()
        .filter(|e| claims.contains(&e.name))
        .collect();
    let outcome = explore(model, &claims, limits);
    (claims, outcome)
}

/// Where the summary and report go: standard output, or standard error when the campaign
/// itself goes to standard output (`-o -`), so that it can be piped on unmixed.
fn say(to_stderr: bool, text: &str) {
    if to_stderr {
        crate::output::note(text.strip_suffix('\n').unwrap_or(text));
    } else {
        out!("{text}");
    }
}

pub fn run(a: &GenerateOptions) -> Result<u8, Error> {
    // The options are checked before anything is read or generated.
    model_options(a.faults).validate()?;
    let to_stdout = a.output.as_os_str() == crate::output::STDOUT_PATH;
    // The output must not be an input: checked before anything is read or written.
    if !to_stdout {
        let mut inputs: Vec<(&str, &std::path::Path)> = Vec::new();
        inputs.extend(a.source.iter().map(|p| ("--source", p.as_path())));
        inputs.extend(a.target.iter().map(|p| ("--target", p.as_path())));
        inputs.extend(a.compat.iter().map(|p| ("--compat", p.as_path())));
        crate::output::refuse_input_as_output("-o", &a.output, &inputs)?;
        crate::output::check_output_dir("-o", &a.output)?;
    }
    let compat = match &a.compat {
        Some(p) => vec![crate::input::imm(p)?],
        None => Vec::new(),
    };
    let mut source_files = Vec::new();
    for f in &a.source {
        source_files.push(crate::input::imm(f)?);
    }
    source_files.extend(compat.iter().cloned());
    let mut target_files = Vec::new();
    for f in &a.target {
        target_files.push(crate::input::imm(f)?);
    }
    target_files.extend(compat);
    let source = imm::merge(&source_files)?;
    let target = imm::merge(&target_files)?;
    let g = super::generate(&source, &target, &a.name)?;
    let e = to_stdout;
    say(
        e,
        &format!(
            "smfcheck generate: {} procedure(s), {} VM(s) caught, {} released\n",
            g.procedures.len(),
            g.caught.len(),
            g.released.len()
        ),
    );
    for d in &g.derived_bundles {
        say(e, &format!("{}\n", d.note()));
    }
    for p in &g.procedures {
        let layers: Vec<String> = p
            .nested
            .iter()
            .map(|(op, dns)| format!("{op:?} {}", dns.join(" ")))
            .collect();
        say(
            e,
            &format!(
                "  level {}: {} (degree {}): {}\n",
                p.exec_level,
                p.name,
                p.nested.len(),
                layers.join(" / ")
            ),
        );
    }
    let out = if to_stdout {
        "standard output".to_string()
    } else {
        a.output.display().to_string()
    };
    if a.verify {
        let model = model_against_target(&out, &g.xml, &source_files, &source, &target, a.faults)?;
        let names = crate::claim_sets::campaign()?;
        let (claims, outcome) = verify_claims(&model, &a.limits.limits(), names);
        let title = format!(
            "verification of the generated campaign on the source configuration (target: the given target configuration; faults {})",
            a.faults
        );
        say(e, "\n");
        say(e, &text::render(&model, &title, &claims, &outcome));
        let code = outcome.exit_code();
        if code != 0 {
            say(
                e,
                "\nnothing written: the generated campaign does not verify\n",
            );
            for line in target_differences(&model, &outcome) {
                say(e, &format!("  {line}\n"));
            }
            return Ok(code);
        }
    }
    if to_stdout {
        out!("{}", g.xml);
    } else {
        crate::output::write_atomically(&a.output, g.xml.as_bytes())?;
    }
    say(e, &format!("\nwrote {out}\n"));
    Ok(0)
}

/// Where the end state of the `success-reaches-target` counterexample differs from the target.
pub fn target_differences(model: &CampaignModel, outcome: &Outcome<CampaignModel>) -> Vec<String> {
    let (Some(sys), Some(r)) = (&model.system, outcome.result("success-reaches-target")) else {
        return Vec::new();
    };
    let (Some(t), Some(trace)) = (&sys.target, &r.trace) else {
        return Vec::new();
    };
    match trace.states.last().and_then(|s| s.sys.as_ref()) {
        Some(st) => t.differences((&sys.ee_names, &sys.su_names), st),
        None => Vec::new(),
    }
}
