//! The vocabulary of upgrade-step actions (thesis §2.8.1, §2.8.4 Table 2.1, §2.8.5, §4.1–4.3) and
//! their effect on the real state of one layer.
//!
//! An action is data: an operation, the software version or unit it targets, and for
//! (un)installations whether the operation is online or offline. Table 2.1 becomes the involution
//! [`Action::reverse`], and the effect on entity state is [`Action::apply`]. Undo, rollback and
//! availability properties compare [`LayerState`]s, never FSM labels.

use std::fmt;

/// Which software bundle (or configuration) an action refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ver {
    Old,
    New,
}

impl Ver {
    pub fn other(self) -> Ver {
        match self {
            Ver::Old => Ver::New,
            Ver::New => Ver::Old,
        }
    }
    fn word(self) -> &'static str {
        match self {
            Ver::Old => "old",
            Ver::New => "new",
        }
    }
}

/// Online operations do not interfere with running entities; offline ones do and need the unit
/// locked (§2.8.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Online,
    Offline,
}

/// Deactivation unit (the old entities), activation unit (the new ones) or symmetric activation
/// unit (both roles, §2.8.1). A layer is modelled as one entity slot upgraded in place, so the unit
/// decides *which software* an instantiation brings up, not which slot is touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Du,
    Au,
    Sau,
}

impl Unit {
    fn word(self) -> &'static str {
        match self {
            Unit::Du => "DU",
            Unit::Au => "AU",
            Unit::Sau => "SAU",
        }
    }
}

/// One action of a step, undo or rollback row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Install(Mode, Ver),
    Uninstall(Mode, Ver),
    Lock(Unit),
    Unlock(Unit),
    Terminate(Unit),
    Instantiate(Unit),
    Restart(Unit),
    /// Set the information model of the layer to `Ver` together with the maintenance status
    /// (for the AU when moving to new, for the DU when moving back to old, Table 2.1 row 5).
    ModifyIm(Ver),
}

impl Action {
    /// Table 2.1 (§2.8.4), extended symmetrically to the rollback vocabulary (§2.8.5, §4.3) so that
    /// undoing a rollback (Undoing Rollback, §4.4.1) uses the same table.
    pub fn reverse(self) -> Action {
        match self {
            Action::Install(m, v) => Action::Uninstall(m, v),
            Action::Uninstall(m, v) => Action::Install(m, v),
            Action::Lock(u) => Action::Unlock(u),
            Action::Unlock(u) => Action::Lock(u),
            Action::Terminate(u) => Action::Instantiate(u),
            Action::Instantiate(u) => Action::Terminate(u),
            // Table 2.1: "Restart activation unit ↔ Restart activation unit".
            Action::Restart(u) => Action::Restart(u),
            Action::ModifyIm(v) => Action::ModifyIm(v.other()),
        }
    }

    /// Software (un)installations: the actions that need a running, compatible lower layer
    /// (§3.1, §3.2.2 "incompatible actions").
    pub fn installs(self) -> Option<Ver> {
        match self {
            Action::Install(_, v) | Action::Uninstall(_, v) => Some(v),
            _ => None,
        }
    }

    pub fn is_offline(self) -> bool {
        matches!(
            self,
            Action::Install(Mode::Offline, _) | Action::Uninstall(Mode::Offline, _)
        )
    }

    /// The effect of a successful action on the layer it acts on. A failed action has no effect
    /// (actions are atomic; the failure is what the FSM reacts to).
    pub fn apply(self, l: LayerState) -> LayerState {
        match self {
            Action::Install(m, v) => l.with_bit(LayerState::sw_bit(m, v), true),
            Action::Uninstall(m, v) => l.with_bit(LayerState::sw_bit(m, v), false),
            Action::Lock(_) => l.with_bit(LayerState::LOCKED, true),
            Action::Unlock(_) => l.with_bit(LayerState::LOCKED, false),
            Action::Terminate(_) => l.with_running(None),
            Action::Instantiate(Unit::Du) => l.with_running(Some(Ver::Old)),
            Action::Instantiate(Unit::Au) => l.with_running(Some(Ver::New)),
            // Decision: a (re)started symmetric unit comes up with the configuration the IM holds
            // at that moment (that is what a restart after "modify IM" is for, §2.8.1.2).
            Action::Instantiate(Unit::Sau) | Action::Restart(_) => l.with_running(Some(l.im())),
            Action::ModifyIm(v) => l.with_bit(LayerState::IM_NEW, v == Ver::New),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = |m: &Mode| match m {
            Mode::Online => "online",
            Mode::Offline => "offline",
        };
        match self {
            Action::Install(m, v) => write!(f, "{} install {}", mode(m), v.word()),
            Action::Uninstall(m, v) => write!(f, "{} uninstall {}", mode(m), v.word()),
            Action::Lock(u) => write!(f, "lock {}", u.word()),
            Action::Unlock(u) => write!(f, "unlock {}", u.word()),
            Action::Terminate(u) => write!(f, "terminate {}", u.word()),
            Action::Instantiate(u) => write!(f, "instantiate {}", u.word()),
            Action::Restart(u) => write!(f, "restart {}", u.word()),
            Action::ModifyIm(Ver::New) => write!(f, "modify IM to new + maintenance status AU"),
            Action::ModifyIm(Ver::Old) => {
                write!(f, "modify IM back to old + maintenance status DU")
            }
        }
    }
}

/// The real state of one layer, packed in one byte: which parts (online / offline) of the old and
/// the new bundle are installed, the admin state, the IM configuration (with its maintenance
/// status) and what the layer runs (nothing, old or new software).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct LayerState(pub u8);

impl LayerState {
    pub const OLD_ONLINE: u8 = 1;
    pub const OLD_OFFLINE: u8 = 2;
    pub const NEW_ONLINE: u8 = 4;
    pub const NEW_OFFLINE: u8 = 8;
    pub const LOCKED: u8 = 16;
    pub const IM_NEW: u8 = 32;
    const RUN_SHIFT: u8 = 6;

    pub fn sw_bit(m: Mode, v: Ver) -> u8 {
        match (m, v) {
            (Mode::Online, Ver::Old) => Self::OLD_ONLINE,
            (Mode::Offline, Ver::Old) => Self::OLD_OFFLINE,
            (Mode::Online, Ver::New) => Self::NEW_ONLINE,
            (Mode::Offline, Ver::New) => Self::NEW_OFFLINE,
        }
    }

    /// The layer before the step: old bundle installed (its offline part only if the step type
    /// has offline operations at all), unlocked, IM old, running old.
    pub fn source(has_offline: bool) -> LayerState {
        let sw = Self::OLD_ONLINE | if has_offline { Self::OLD_OFFLINE } else { 0 };
        LayerState(sw).with_running(Some(Ver::Old))
    }

    /// The layer a completed step must leave: the same with the new bundle and IM.
    pub fn target(has_offline: bool) -> LayerState {
        let sw = Self::NEW_ONLINE | if has_offline { Self::NEW_OFFLINE } else { 0 };
        LayerState(sw | Self::IM_NEW).with_running(Some(Ver::New))
    }

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    fn with_bit(self, bit: u8, on: bool) -> LayerState {
        LayerState(if on { self.0 | bit } else { self.0 & !bit })
    }
    pub fn im(self) -> Ver {
        if self.has(Self::IM_NEW) {
            Ver::New
        } else {
            Ver::Old
        }
    }
    pub fn running(self) -> Option<Ver> {
        match self.0 >> Self::RUN_SHIFT {
            0 => None,
            1 => Some(Ver::Old),
            _ => Some(Ver::New),
        }
    }
    fn with_running(self, r: Option<Ver>) -> LayerState {
        let code = match r {
            None => 0,
            Some(Ver::Old) => 1,
            Some(Ver::New) => 2,
        };
        LayerState((self.0 & 0x3f) | (code << Self::RUN_SHIFT))
    }
}

impl fmt::Debug for LayerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for LayerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sw = |on: u8, off: u8| match (self.has(on), self.has(off)) {
            (true, true) => "on+off",
            (true, false) => "on",
            (false, true) => "off",
            (false, false) => "-",
        };
        let run = match self.running() {
            None => "terminated",
            Some(Ver::Old) => "runs old",
            Some(Ver::New) => "runs new",
        };
        write!(
            f,
            "old[{}] new[{}] {} IM {} {}",
            sw(Self::OLD_ONLINE, Self::OLD_OFFLINE),
            sw(Self::NEW_ONLINE, Self::NEW_OFFLINE),
            if self.has(Self::LOCKED) {
                "locked"
            } else {
                "unlocked"
            },
            self.im().word(),
            run
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_is_an_involution() {
        for a in crate::step::table::all_actions() {
            assert_eq!(a.reverse().reverse(), a, "{a}");
        }
    }

    #[test]
    fn running_round_trips() {
        let l = LayerState::source(true);
        assert_eq!(l.running(), Some(Ver::Old));
        let t = Action::Terminate(Unit::Du).apply(l);
        assert_eq!(t.running(), None);
        assert_eq!(
            Action::Instantiate(Unit::Au).apply(t).running(),
            Some(Ver::New)
        );
    }
}
