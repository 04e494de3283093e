//! The default claim sets, from the property-set files alone: `properties/default.props` is what
//! `smfcheck fsm` checks without `--properties`, `properties/campaign.props` what `smfcheck
//! check` and `smfcheck generate`'s verification check. The files are embedded in the binary
//! (an installed smfcheck has no source tree) and read with the property-file parser of
//! [`crate::properties`] ([`properties::parse_selection`], which takes the text itself), so a
//! default set is written in one place and read by one parser; each is parsed once per process.

use crate::error::Error;
use crate::properties;
use std::sync::OnceLock;

/// `properties/default.props`: every step claim.
pub const STEP_PROPS: &str = include_str!("../properties/default.props");
/// `properties/campaign.props`: the default campaign claims.
pub const CAMPAIGN_PROPS: &str = include_str!("../properties/campaign.props");

type Set = Result<Vec<&'static str>, String>;

/// The names `smfcheck fsm` checks by default, as the step registry spells them.
pub fn step() -> Result<&'static [&'static str], Error> {
    static SET: OnceLock<Set> = OnceLock::new();
    cached(&SET, "default.props", STEP_PROPS, properties::all_names)
}

/// The names `smfcheck check` and `smfcheck generate` check by default, as the campaign
/// registry spells them.
pub fn campaign() -> Result<&'static [&'static str], Error> {
    static SET: OnceLock<Set> = OnceLock::new();
    cached(
        &SET,
        "campaign.props",
        CAMPAIGN_PROPS,
        properties::campaign_names,
    )
}

fn cached(
    set: &'static OnceLock<Set>,
    file: &str,
    text: &str,
    known: fn() -> Vec<&'static str>,
) -> Result<&'static [&'static str], Error> {
    set.get_or_init(|| parse(file, text, &known()))
        .as_deref()
        .map_err(|e| Error::Usage(e.clone()))
}

/// Parse `text` (the embedded `properties/FILE`) with [`properties::parse_selection`].
fn parse(file: &str, text: &str, known: &[&'static str]) -> Set {
    let bundled = format!("the bundled properties/{file}");
    let names = properties::parse_selection(&bundled, text, known).map_err(|e| e.to_string())?;
    // The parser checked every name against `known`: take the registry's own spelling, which
    // lives as long as the program.
    Ok(names
        .iter()
        .filter_map(|n| known.iter().find(|k| *k == n).copied())
        .collect())
}

#[cfg(test)]
mod tests {
    /// The campaign claims `smfcheck check` selected before the set moved to
    /// `properties/campaign.props` alone.
    const CAMPAIGN_CLAIMS_BEFORE: &[&str] = &[
        "si-always-available",
        "no-incompatible-hosting",
        "lower-layer-ready-for-install",
        "failure-escalates-to-campaign",
        "exec-levels-respected",
        "success-reaches-target",
        "rollback-restores-source",
        "terminates-in-final-state",
        "campaign-can-commit",
        "campaign-can-roll-back",
    ];

    #[test]
    fn embedded_campaign_defaults_are_the_former_constant() {
        assert_eq!(super::campaign().unwrap(), CAMPAIGN_CLAIMS_BEFORE);
    }

    /// `smfcheck fsm` checked every step claim before its default came from
    /// `properties/default.props`: the file must still name every one.
    #[test]
    fn embedded_step_defaults_are_every_step_claim() {
        let mut set = super::step().unwrap().to_vec();
        let mut all = crate::properties::all_names();
        set.sort_unstable();
        all.sort_unstable();
        assert_eq!(set, all);
    }
}
