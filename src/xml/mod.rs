//! Input formats: SMF upgrade-campaign XML (UCS schema, shared/corpus/opensaf/…/SAI-AIS-SMF-UCS-
//! A.01.02_OpenSAF.xsd, plus the thesis's extensions) and IMM XML configurations
//! (`<imm:IMM-contents>`). Raw DTOs mirror the XML; conversion into the domain reports errors with
//! file, line and element.

pub mod campaign;
pub mod imm;
pub mod position;
