//! A path of a model drawn as a sequence diagram: lifelines for the procedure side (administrator,
//! campaign, procedures), for the nested steps (thesis §4.4: signals between a nested step and its
//! neighbours) and for the system they act on (step layers, or the EEs, SUs and SIs of a
//! configuration). Each transition of the path becomes one or more rows: a signal is drawn as an
//! arrow when it is *delivered* (the send is a note on the sender, because in the model the
//! signal waits in a one-slot channel until the receiver takes it), an action as an arrow from
//! the nested step to what it acts on, an FSM move that exchanges nothing as a note.
//!
//! The same rows render as SVG (the stateright Explorer's `Model::as_svg`) and as a Mermaid
//! `sequenceDiagram` (`smfcheck graph --trace`).

use crate::campaign::model::{CampAction, CampSysState, CampaignModel};
use crate::check::{Checked, Trace};
use crate::step::fsm::{Move, StepState};
use crate::step::model::{StepAction, StepModel, StepSysState};
use std::fmt::Write;

/// One row of a sequence diagram: an arrow between two lifelines, or a note on one when
/// `from == to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrow {
    pub from: String,
    pub to: String,
    pub label: String,
    /// An action that failed (drawn in red).
    pub failed: bool,
}

impl Arrow {
    fn new(from: impl Into<String>, to: impl Into<String>, label: impl Into<String>) -> Self {
        Arrow {
            from: from.into(),
            to: to.into(),
            label: label.into(),
            failed: false,
        }
    }
    fn note(on: impl Into<String>, label: impl Into<String>) -> Self {
        let on = on.into();
        Arrow::new(on.clone(), on, label)
    }
}

/// A model whose transitions can be drawn as rows of a sequence diagram.
pub trait Sequence: Checked {
    /// The lifelines always drawn, left to right (more are added, in order of first use, for
    /// the entities a path acts on).
    fn lanes(&self) -> Vec<String>;
    /// The rows for the transition `s --a--> t`.
    fn arrows(&self, s: &Self::State, a: &Self::Action, t: &Self::State) -> Vec<Arrow>;
}

/// The value of the first RDN of a DN (`safSmfProc=P1,safSmfCampaign=…` → `P1`): lifeline names
/// must stay short.
pub fn short(dn: &str) -> &str {
    let first = dn.split(',').next().unwrap_or(dn);
    first.split_once('=').map(|(_, v)| v).unwrap_or(first)
}

fn step_lane(m: &StepModel, k: usize) -> String {
    format!("step {} ({})", k + 1, m.step().types[k])
}

fn sender(m: &StepModel, from: u8) -> String {
    if from == 0 {
        "procedure".into()
    } else {
        step_lane(m, from as usize - 1)
    }
}

/// The part of a trace line after the first `→`: the state it leads to.
fn outcome(line: &str) -> Option<&str> {
    line.split_once(" → ").map(|(_, r)| r)
}

impl Sequence for StepModel {
    fn lanes(&self) -> Vec<String> {
        let mut l = vec!["procedure".to_string()];
        l.extend((0..self.degree()).map(|k| step_lane(self, k)));
        l.extend((0..self.degree()).map(|k| format!("layer {}", k + 1)));
        l
    }

    fn arrows(&self, s: &StepSysState, a: &StepAction, t: &StepSysState) -> Vec<Arrow> {
        let line = self.describe(s, a, t);
        match a {
            StepAction::Execute | StepAction::Rollback => {
                // "procedure: Execute → step 1" / "administrator: …": the send; the arrow comes
                // when step 1 takes the signal.
                let what = line.strip_prefix("procedure: ").unwrap_or(&line);
                vec![Arrow::note("procedure", format!("{what} (sent)"))]
            }
            StepAction::Step(Move::Deliver) => {
                let Some(msg) = s.run.msg else {
                    return vec![];
                };
                let to = if msg.to == 0 {
                    "procedure".to_string()
                } else {
                    step_lane(self, msg.to as usize - 1)
                };
                let label = match outcome(&line) {
                    Some(rest) => format!("{} → {rest}", msg.sig.name()),
                    None => msg.sig.name().to_string(),
                };
                vec![Arrow::new(sender(self, msg.from), to, label)]
            }
            StepAction::Step(Move::Run { step, fail }) => {
                let k = *step as usize;
                let Some(op) = self.core.next_op(&s.run, k) else {
                    return vec![];
                };
                let label = line.split_once("): ").map(|(_, r)| r).unwrap_or(&line);
                vec![Arrow {
                    from: step_lane(self, k),
                    to: format!("layer {}", op.layer + 1),
                    label: label.to_string(),
                    failed: *fail,
                }]
            }
            StepAction::Step(Move::Settle { step }) => {
                let k = *step as usize;
                let label = line.split_once("): ").map(|(_, r)| r).unwrap_or(&line);
                vec![Arrow::note(step_lane(self, k), label)]
            }
        }
    }
}

fn proc_lane(m: &CampaignModel, p: usize) -> String {
    format!("procedure {}", short(&m.procs[p].name))
}

fn nested_lane(m: &CampaignModel, p: usize, i: usize) -> String {
    format!("{} · nested {}", short(&m.procs[p].name), i + 1)
}

impl CampaignModel {
    /// The lifelines of what a step action of procedure `p` acts on: the bound EEs and SUs that
    /// the action reaches, or the abstract layer when the campaign has no configuration.
    fn targets(&self, s: &CampSysState, p: usize, layer: usize, a: &CampAction) -> Vec<String> {
        let cur = s.procs[p].cur as usize;
        let Some(sys) = &self.system else {
            return vec![format!(
                "{} · layer {}",
                short(&self.procs[p].name),
                layer + 1
            )];
        };
        let CampAction::Step {
            mv: Move::Run { step, .. },
            ..
        } = a
        else {
            return vec![];
        };
        let Some(op) = self.procs[p].steps[cur].next_op(&s.procs[p].runs[cur], *step as usize)
        else {
            return vec![];
        };
        let b = &sys.bindings[p][cur][layer];
        let side = crate::campaign::plan::Side::of(op.action);
        let mut out: Vec<String> = b
            .ees
            .iter()
            .zip(&b.ee_side)
            .filter(|(_, sd)| sd.reached_by(side))
            .map(|(&e, _)| format!("EE {}", short(&sys.ee_names[e])))
            .collect();
        out.extend(
            b.sus
                .iter()
                .zip(&b.su_side)
                .filter(|(_, sd)| sd.reached_by(side) && b.reaches_sus(op.action))
                .map(|(&u, _)| format!("SU {}", short(&sys.su_names[u]))),
        );
        out
    }
}

/// At most this many entity arrows per action; the rest are named in the last label.
const MAX_TARGETS: usize = 4;

impl Sequence for CampaignModel {
    fn lanes(&self) -> Vec<String> {
        let mut l = vec!["administrator".to_string(), "campaign".to_string()];
        for p in 0..self.procs.len() {
            l.push(proc_lane(self, p));
            let deg = self.procs[p]
                .steps
                .iter()
                .map(|c| c.degree())
                .max()
                .unwrap_or(0);
            l.extend((0..deg).map(|i| nested_lane(self, p, i)));
        }
        l
    }

    fn arrows(&self, s: &CampSysState, a: &CampAction, t: &CampSysState) -> Vec<Arrow> {
        let line = self.describe(s, a, t);
        // The trace line without its `[file:line]` and system notes, for labels.
        let plain = line.split("  [").next().unwrap_or(&line);
        let plain = plain.split("; SI ").next().unwrap_or(plain).to_string();
        let mut rows = Vec::new();
        match a {
            CampAction::Execute
            | CampAction::Suspend
            | CampAction::Rollback
            | CampAction::Commit => {
                let label = plain.trim_start_matches("administrator: ").to_string();
                rows.push(Arrow::new("administrator", "campaign", label));
            }
            CampAction::React => rows.push(Arrow::note(
                "campaign",
                plain.trim_start_matches("campaign: ").to_string(),
            )),
            CampAction::ProcReceive { proc } => {
                let p = *proc as usize;
                let label = plain.split_once(": ").map(|(_, r)| r).unwrap_or(&plain);
                rows.push(Arrow::new(
                    nested_lane(self, p, 0),
                    proc_lane(self, p),
                    label.to_string(),
                ));
            }
            CampAction::Step { proc, mv } => {
                let p = *proc as usize;
                let cur = s.procs[p].cur as usize;
                let what = plain.split_once(": ").map(|(_, r)| r).unwrap_or(&plain);
                let what = what
                    .split_once(": ")
                    .map(|(_, r)| r)
                    .unwrap_or(what)
                    .to_string();
                match mv {
                    Move::Deliver => {
                        if let Some(m) = s.procs[p].runs[cur].msg {
                            let from = if m.from == 0 {
                                proc_lane(self, p)
                            } else {
                                nested_lane(self, p, m.from as usize - 1)
                            };
                            let to_state = t.procs[p].runs[cur].steps[m.to as usize - 1].st;
                            rows.push(Arrow::new(
                                from,
                                nested_lane(self, p, m.to as usize - 1),
                                format!("step {}: {} → {}", cur + 1, m.sig.name(), to_state),
                            ));
                        }
                    }
                    Move::Run { step, fail } => {
                        let k = *step as usize;
                        let layer = self.procs[p].steps[cur]
                            .next_op(&s.procs[p].runs[cur], k)
                            .map(|o| o.layer as usize)
                            .unwrap_or(k);
                        let targets = self.targets(s, p, layer, a);
                        let shown = targets.len().min(MAX_TARGETS);
                        for (i, target) in targets.iter().take(shown).enumerate() {
                            let mut label = format!("step {}: {what}", cur + 1);
                            if i + 1 == shown && targets.len() > shown {
                                let _ = write!(label, " (and {} more)", targets.len() - shown);
                            }
                            rows.push(Arrow {
                                from: nested_lane(self, p, k),
                                to: target.clone(),
                                label,
                                failed: *fail,
                            });
                        }
                        if targets.is_empty() {
                            rows.push(Arrow {
                                failed: *fail,
                                ..Arrow::note(
                                    nested_lane(self, p, k),
                                    format!("step {}: {what}", cur + 1),
                                )
                            });
                        }
                    }
                    Move::Settle { step } => {
                        let k = *step as usize;
                        let (from, to): (StepState, StepState) = (
                            s.procs[p].runs[cur].steps[k].st,
                            t.procs[p].runs[cur].steps[k].st,
                        );
                        rows.push(Arrow::note(
                            nested_lane(self, p, k),
                            format!("step {}: {from} → {to}", cur + 1),
                        ));
                    }
                }
            }
            CampAction::Migrate { vm, to } => {
                if let Some(sys) = &self.system {
                    let vm_lane = format!("EE {}", short(&sys.ee_names[*vm as usize]));
                    match to {
                        Some(k) => {
                            let host = sys.world.sponsors[*vm as usize][*k as usize];
                            let label = plain.split_once(" migrates to ").map(|(_, r)| r);
                            rows.push(Arrow::new(
                                vm_lane,
                                format!("EE {}", short(&sys.ee_names[host])),
                                format!("VM migrates here: {}", label.unwrap_or("")),
                            ));
                        }
                        None => rows.push(Arrow::note(vm_lane, "no sponsor in service: down")),
                    }
                }
            }
            CampAction::RestartDone { ee } => {
                if let Some(sys) = &self.system {
                    rows.push(Arrow::note(
                        format!("EE {}", short(&sys.ee_names[*ee as usize])),
                        "back up after its restart",
                    ));
                }
            }
        }
        // SIs that lose or regain their last SU in service (as the trace line says).
        for part in line.split("; SI ").skip(1) {
            let part = part.split("  [").next().unwrap_or(part);
            if let Some((name, what)) = part.split_once(": ") {
                rows.push(Arrow::note(format!("SI {}", short(name)), what.to_string()));
            }
        }
        rows
    }
}

/// The rows of every transition of a path, numbered by the transition (1-based).
pub fn rows<M: Sequence>(m: &M, states: &[M::State], actions: &[M::Action]) -> Vec<(usize, Arrow)> {
    let mut out = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        if let (Some(s), Some(t)) = (states.get(i), states.get(i + 1)) {
            out.extend(m.arrows(s, a, t).into_iter().map(|r| (i + 1, r)));
        }
    }
    out
}

/// The lifelines of a diagram: the model's own, then the ones the rows add.
fn all_lanes<M: Sequence>(m: &M, rows: &[(usize, Arrow)]) -> Vec<String> {
    let mut lanes = m.lanes();
    for (_, r) in rows {
        for l in [&r.from, &r.to] {
            if !lanes.contains(l) {
                lanes.push(l.clone());
            }
        }
    }
    lanes
}

/// A trace as a Mermaid `sequenceDiagram`.
pub fn mermaid_sequence<M: Sequence>(m: &M, trace: &Trace<M>) -> String {
    let rows = rows(m, &trace.states, &trace.actions);
    let lanes = all_lanes(m, &rows);
    let id = |l: &str| lanes.iter().position(|x| x == l).unwrap_or(0);
    let mut out = String::from("sequenceDiagram\n");
    for (i, l) in lanes.iter().enumerate() {
        let _ = writeln!(out, "    participant L{i} as {}", mermaid_text(l));
    }
    for (n, r) in &rows {
        let label = format!("{n}. {}", mermaid_text(&r.label));
        let (a, b) = (id(&r.from), id(&r.to));
        if a == b {
            let _ = writeln!(out, "    Note over L{a}: {label}");
        } else {
            let arrow = if r.failed { "-x" } else { "->>" };
            let _ = writeln!(out, "    L{a}{arrow}L{b}: {label}");
        }
    }
    if let Some(k) = trace.loop_start {
        let _ = writeln!(
            out,
            "    Note over L0: the run loops back to the state after step {k}"
        );
    }
    out
}

/// Mermaid treats `;` as a statement end and `#` as an entity escape in message text.
fn mermaid_text(s: &str) -> String {
    s.replace('#', "#35;").replace(';', ",")
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Minimal width of a lifeline column, height of a row, and of the lifeline heads, in SVG units.
const COL: usize = 170;
const ROW: usize = 30;
const TOP: usize = 72;
/// Roughly the width of one character at font size 12 (bold), for sizing the columns.
const CHAR: usize = 7;

/// A lifeline's name on at most two lines (`P · nested 1` becomes `P` over `nested 1`).
fn lane_lines(l: &str) -> Vec<&str> {
    match l.split_once(" · ") {
        Some((a, b)) => vec![a, b],
        None => vec![l],
    }
}

/// A path as a standalone SVG sequence diagram, with `header` lines above it and `footer`
/// lines (e.g. the claims in the last state) below it.
pub fn svg<M: Sequence>(
    m: &M,
    states: &[M::State],
    actions: &[M::Action],
    header: &[String],
    footer: &[(String, bool)],
) -> String {
    let rows = rows(m, states, actions);
    let lanes = all_lanes(m, &rows);
    let widest = lanes
        .iter()
        .flat_map(|l| lane_lines(l))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let col = COL.max(CHAR * widest + 24);
    let x = |l: &str| 40 + col / 2 + col * lanes.iter().position(|x| x == l).unwrap_or(0);
    let head = 18 * header.len() + 8;
    let body_top = head + TOP;
    let body_h = ROW * rows.len().max(1) + 20;
    let width = 40 + col * lanes.len().max(1) + 40;
    let height = body_top + body_h + 18 * footer.len() + 24;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    out.push_str(r##"<defs><marker id="arr" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#222"/></marker><marker id="arrf" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#c00"/></marker></defs>"##);
    let _ = write!(
        out,
        r##"<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>"##
    );
    for (i, h) in header.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="8" y="{}" fill="#444" font-style="italic">{}</text>"##,
            16 + 18 * i,
            xml(h)
        );
    }
    for l in &lanes {
        let cx = x(l);
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="40" rx="4" fill="#e8eef7" stroke="#335"/>"##,
            cx - col / 2 + 6,
            head + 8,
            col - 12,
        );
        let lines = lane_lines(l);
        let top = if lines.len() == 1 {
            head + 33
        } else {
            head + 25
        };
        for (i, t) in lines.iter().enumerate() {
            let _ = write!(
                out,
                r##"<text x="{cx}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"##,
                top + 15 * i,
                xml(t)
            );
        }
        let _ = write!(
            out,
            r##"<line x1="{cx}" y1="{}" x2="{cx}" y2="{}" stroke="#889" stroke-dasharray="4 3"/>"##,
            head + 48,
            body_top + body_h
        );
    }
    for (r, (n, a)) in rows.iter().enumerate() {
        let y = body_top + ROW * r + 18;
        let colour = if a.failed { "#c00" } else { "#222" };
        let _ = write!(out, r##"<text x="8" y="{}" fill="#666">{n}</text>"##, y + 4);
        let (x1, x2) = (x(&a.from), x(&a.to));
        if x1 == x2 {
            let _ = write!(
                out,
                r##"<path d="M{x1},{} h18 v10 h-16" fill="none" stroke="{colour}" marker-end="url(#{})"/><text x="{}" y="{}" fill="{colour}">{}</text>"##,
                y - 4,
                if a.failed { "arrf" } else { "arr" },
                x1 + 24,
                y + 5,
                xml(&a.label)
            );
        } else {
            let _ = write!(
                out,
                r##"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{colour}" marker-end="url(#{})"/><text x="{}" y="{}" fill="{colour}">{}</text>"##,
                if a.failed { "arrf" } else { "arr" },
                x1.min(x2) + 6,
                y - 4,
                xml(&a.label)
            );
        }
    }
    for (i, (line, bad)) in footer.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="8" y="{}" fill="{}">{}</text>"##,
            body_top + body_h + 18 * i + 14,
            if *bad { "#c00" } else { "#060" },
            xml(line)
        );
    }
    out.push_str("</svg>");
    out
}
