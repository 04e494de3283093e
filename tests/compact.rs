//! The compact encoding of campaign states in the visited set (`src/campaign/packed.rs`) is a
//! bijection on the states: on every model of the manifests, every reachable state (up to a cap
//! per model) decodes to itself, in exactly the layout's length, and distinct states encode to
//! distinct bytes; and a successor made into a reused state (`Checked::next_state_into`, by
//! `clone_from`) is the successor made afresh. (The pinned unique-state counts check the same
//! on the whole spaces.)

use super::support::manifest::runs;
use smfcheck::check::Checked;
use stateright::Model;
use std::collections::{HashMap, HashSet};

/// States per model: enough to reach rollbacks, migrations and custom actions in every model.
const CAP: usize = 30_000;

#[test]
fn every_reachable_state_round_trips() {
    let mut models = 0;
    let mut checked = 0;
    let mut seen_args = HashSet::new();
    for r in runs() {
        let Some(a) = r.check_args() else { continue };
        if r.run.exit == 2 || !seen_args.insert(r.run.args.clone()) {
            continue;
        }
        let m = smfcheck::cli::build_campaign(&a).unwrap_or_else(|e| panic!("{}: {e}", r.name()));
        let len = m.packed_len().expect("campaign states are packed");
        let mut bytes_of: HashMap<Vec<u8>, _> = HashMap::new();
        let mut queue: std::collections::VecDeque<_> = m.init_states().into();
        let mut seen = HashSet::new();
        let mut buf = vec![0u8; len];
        let mut acts = Vec::new();
        let mut scratch = None;
        let mut prev: Option<smfcheck::campaign::model::CampSysState> = None;
        while let Some(s) = queue.pop_front() {
            if seen.len() >= CAP || !seen.insert(s.clone()) {
                continue;
            }
            m.pack(&s, &mut buf);
            assert_eq!(
                m.unpack(&buf),
                s,
                "{}: a state does not round-trip",
                r.name()
            );
            // Decoding into the previous state's allocations (as the explorer does) too.
            match scratch.as_mut() {
                Some(x) => m.unpack_into(&buf, x),
                None => scratch = Some(m.unpack(&buf)),
            }
            assert_eq!(
                scratch.as_ref(),
                Some(&s),
                "{}: decoding in place",
                r.name()
            );
            if let Some(other) = bytes_of.insert(buf.clone(), s.clone()) {
                assert_eq!(other, s, "{}: two states, one encoding", r.name());
            }
            acts.clear();
            m.actions(&s, &mut acts);
            for a in acts.drain(..) {
                let fresh = m.next_state(&s, a);
                // The explorer's way: into a reused state (the previous state examined, every
                // field changed), which must come out the same, enabled or not.
                let mut reused = prev.clone().unwrap_or_else(|| s.clone());
                scramble(&mut reused);
                assert_eq!(
                    m.next_state_into(&s, a, &mut reused),
                    fresh.is_some(),
                    "{}: next_state_into enables differently",
                    r.name()
                );
                if let Some(t) = fresh {
                    assert_eq!(reused, t, "{}: next_state_into", r.name());
                    queue.push_back(t);
                }
            }
            prev = Some(s);
        }
        models += 1;
        checked += seen.len();
    }
    assert!(
        models >= 20 && checked > 30_000,
        "{models} models, {checked} states"
    );
}

/// Change every field of a state (to test that copying into it overwrites them all).
fn scramble(s: &mut smfcheck::campaign::model::CampSysState) {
    s.level ^= 1;
    s.faults ^= 1;
    s.admin_retries ^= 1;
    s.suspends ^= 1;
    s.camp = if s.camp == smfcheck::campaign::model::CampState::Initial {
        smfcheck::campaign::model::CampState::Executing
    } else {
        smfcheck::campaign::model::CampState::Initial
    };
    for p in &mut s.procs {
        p.cur ^= 1;
        p.runs.push(Default::default());
        for r in &mut p.runs {
            r.layers[0].0 ^= 1;
            r.steps[0].pc ^= 1;
        }
    }
    s.procs.push(Default::default());
    if let Some(sys) = s.sys.as_mut() {
        for v in [&mut sys.at, &mut sys.allowed, &mut sys.placed] {
            v.iter_mut().for_each(|x| *x ^= 1);
            v.push(1);
        }
        for v in [&mut sys.ees, &mut sys.sus] {
            v.iter_mut().for_each(|x| x.0 ^= 1);
        }
        sys.displaced = !sys.displaced;
        sys.baseline = !sys.baseline;
        sys.group_admin = !sys.group_admin;
        sys.nodes_locked = !sys.nodes_locked;
        sys.si_admin = !sys.si_admin;
        sys.deleted_sus = !sys.deleted_sus;
        sys.deleted_sis = !sys.deleted_sis;
        sys.im_done = !sys.im_done;
        sys.restarting = !sys.restarting;
    }
}
