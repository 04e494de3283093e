//! The model manifests: every `expect.json` under `models/` lists runs of the binary in its
//! folder and what each must give — exit code, unique states and transitions, the verdict of
//! every claim (format: models/README.md, "Manifests"). `tests/manifests.rs` runs them all;
//! other tests take their campaign models from them, so that "every pinned model" means one
//! list.

use super::run::ROOT;
use serde::Deserialize;
use smfcheck::cli::{CheckArgs, Cli, Command};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The placeholder for the OpenSAF source tree (`SMFCHECK_OPENSAF`, via `support::opensaf`).
pub const OPENSAF: &str = "{opensaf}";

/// One `expect.json`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// What the folder's runs are about (JSON has no comments).
    pub about: String,
    pub runs: Vec<Run>,
}

/// One run: `smfcheck ARGS` in the manifest's folder.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Why the run is there (a thesis section, a README row).
    #[serde(default)]
    pub note: Option<String>,
    /// The arguments, file names relative to the folder; `{opensaf}` stands for the OpenSAF
    /// tree, and a run naming it is skipped without one.
    pub args: Vec<String>,
    /// 0 verified, 1 violated, 2 bad input (nothing else is pinned then), 3 inconclusive.
    pub exit: i32,
    /// Unique states and transitions explored (required unless the exit code is 2).
    pub states: Option<usize>,
    pub transitions: Option<usize>,
    /// The verdict word of every claim the run checks (as the JSON report spells it).
    #[serde(default)]
    pub verdicts: BTreeMap<String, String>,
}

/// A run together with the folder it runs in.
#[derive(Debug, Clone)]
pub struct Located {
    /// The folder relative to `models/` (empty for `models/` itself).
    pub folder: String,
    pub run: Run,
}

impl Located {
    /// The folder, absolute.
    pub fn dir(&self) -> PathBuf {
        Path::new(ROOT).join("models").join(&self.folder)
    }

    /// `folder: args`, for messages.
    pub fn name(&self) -> String {
        format!("models/{}: {}", self.folder, self.run.args.join(" "))
    }

    pub fn needs_opensaf(&self) -> bool {
        self.run.args.iter().any(|a| a.contains(OPENSAF))
    }

    /// The arguments with `{opensaf}` replaced by the tree `os`.
    pub fn argv(&self, os: Option<&Path>) -> Vec<String> {
        self.run
            .args
            .iter()
            .map(|a| match os {
                Some(os) => a.replace(OPENSAF, os.to_str().unwrap()),
                None => a.clone(),
            })
            .collect()
    }

    /// The arguments of a `check` run that needs no OpenSAF tree, parsed as the binary parses
    /// them, every file made absolute: for building the same campaign model in the library.
    pub fn check_args(&self) -> Option<CheckArgs> {
        if self.run.args.first().map(String::as_str) != Some("check") || self.needs_opensaf() {
            return None;
        }
        let cli = <Cli as clap::Parser>::try_parse_from(
            std::iter::once("smfcheck".to_string()).chain(self.argv(None)),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", self.name()));
        let Command::Check(mut a) = cli.command else {
            unreachable!("a check run")
        };
        let dir = self.dir();
        a.campaign = dir.join(&a.campaign);
        for p in a.config.iter_mut().chain(&mut a.target) {
            *p = dir.join(&*p);
        }
        a.compat = a.compat.map(|c| dir.join(c));
        a.properties = a.properties.map(|p| dir.join(p));
        Some(a)
    }
}

/// Every manifest under `models/`, by folder relative to `models/`, in path order.
pub fn manifests() -> Vec<(String, Manifest)> {
    let models = Path::new(ROOT).join("models");
    let mut found = Vec::new();
    let mut stack = vec![models.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "expect.json") {
                let folder = dir.strip_prefix(&models).unwrap().to_str().unwrap();
                let text = std::fs::read_to_string(&path).unwrap();
                let m: Manifest = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                found.push((folder.to_string(), m));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// Every run of every manifest.
pub fn runs() -> Vec<Located> {
    manifests()
        .into_iter()
        .flat_map(|(folder, m)| {
            m.runs.into_iter().map(move |run| Located {
                folder: folder.clone(),
                run,
            })
        })
        .collect()
}
