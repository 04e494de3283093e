//! Upgrade steps: the action vocabulary and Table 2.1 ([`action`]), the step types as data
//! ([`table`]), embedding as composition ([`embed`]) and the one FSM core ([`fsm`]).

pub mod action;
pub mod embed;
pub mod fsm;
pub mod table;
