//! Upgrade steps: the action vocabulary and Table 2.1 ([`action`]), the step types as data
//! ([`table`]), embedding as composition ([`embed`]), the one FSM core ([`fsm`]), and the step
//! with its environment as a model to check ([`model`]; the campaign's is
//! [`crate::campaign::model`]).

pub mod action;
pub mod embed;
pub mod fsm;
pub mod model;
pub mod table;
