//! Campaigns as composition (thesis §2.8.2, §2.8.6; SMF's procedure and campaign FSMs as OpenSAF
//! implements them, domain.md §5): a campaign runs its procedures by ascending execution level
//! (equal levels in parallel), each procedure runs its steps in sequence through the step core, and
//! the campaign reacts to what the procedures report. See [`model`].

pub mod model;
pub mod plan;
