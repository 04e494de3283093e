//! SMF upgrade-campaign XML (the OpenSAF UCS schema `SAI-AIS-SMF-UCS-A.01.02_OpenSAF.xsd`) and
//! the thesis's extensions of it (§4.5, §7.2.4 Fig. 7.9), read in three passes:
//!
//! 1. [`Positions`] indexes the raw text and checks it against [`ucs_rule`] (`schema.rs`), a
//!    transcription of the schema's content models, attributes and unique constraints. This
//!    pass is what rejects the two schema-invalid corpus campaigns for xmllint's reasons
//!    (character data in the empty `callback`; a duplicate `attribute` name under `create`),
//!    because serde skips whitespace, does not see the order between different elements and
//!    knows no lines.
//! 2. serde DTOs (`dto.rs`) mirror the schema element by element: `@attr` for attributes,
//!    `$value` where an xs:choice or an ordered mix of children must be kept, `#[serde(default)]`
//!    on repeated elements. Content the model does not use (most of `amfEntityTypes`) is checked
//!    by pass 1 and not mapped.
//! 3. Conversion (`convert.rs`) into the domain types of [`crate::ucs`] ([`Campaign`],
//!    [`Procedure`], [`Method`], [`StepSpec`] …, re-exported here so that their paths under
//!    `xml::campaign` stay valid), which parses typed values and checks what the schema leaves
//!    to prose, each error citing `file:line` and the element. Conversion walks the DTOs and the
//!    index side by side (the k-th DTO child is the k-th element child), which is why it is a
//!    set of functions taking the index rather than `TryFrom` impls.
//!
//! Thesis extensions: `saSmfStepInPhaseStep="1"` on `upgradeStep` marks an in-phase step (§4.1.2,
//! Fig. 7.9); `saSmfStepLockedReducedStep="1"` marks a locked reduced step (§4.1.1; the thesis
//! names no attribute, this one is our equally explicit choice); a `singleStepUpgrade` holding
//! several `upgradeScope`/`upgradeStep` pairs is an embedded step, outermost layer first (§4.1.3,
//! Fig. 7.8/7.9). Without a marker a step is reduced when it acts on components and
//! `saSmfStepRestartOption="1"`, out-of-phase (SMF's normal step) otherwise (docs/semantics.md §6).

mod convert;
mod dto;
mod schema;

pub use crate::ucs::*;
pub use schema::ucs_rule;

use super::position::{Positions, read_file, strip_bom};
use crate::error::Error;
use serde::Deserialize;
use std::path::Path;

/// Reads, checks and converts a campaign file.
pub fn parse_campaign(path: impl AsRef<Path>) -> Result<Campaign, Error> {
    let path = path.as_ref();
    let text = read_file(path)?;
    parse_campaign_str(&path.display().to_string(), &text)
}

/// As [`parse_campaign`], from text; `file` is the name used in messages.
pub fn parse_campaign_str(file: &str, text: &str) -> Result<Campaign, Error> {
    // The index and serde must see the same bytes (their offsets are compared).
    let text = strip_bom(text);
    let pos = Positions::parse(file, text)?;
    pos.check(ucs_rule)?;
    let mut de = quick_xml::de::Deserializer::from_str(text);
    let raw = dto::UpgradeCampaign::deserialize(&mut de)
        .map_err(|e| pos.de_error(&e, de.get_ref().get_ref().buffer_position()))?;
    convert::campaign(&pos, raw)
}
