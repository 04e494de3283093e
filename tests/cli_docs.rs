//! The documentation derived from the clap definitions (src/cli/args.rs): shell completions
//! (`smfcheck completions SHELL`) and the manual (`smfcheck man`) name every subcommand, and the
//! `--help` of every subcommand ends with an example that is a valid command line. The list of
//! subcommands comes from the definitions themselves, so a new subcommand is covered (and must
//! bring its example) without touching this file.

use clap::{CommandFactory, Parser};
use smfcheck::cli::Cli;
use std::process::Command;

fn smfcheck(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_smfcheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Every subcommand the definitions declare (clap's own `help` aside).
fn subcommands() -> Vec<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    for expected in ["fsm", "check", "replay", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
    }
    names
}

/// Each shell's script offers every subcommand where the command line starts: bash in the
/// top-level word list, zsh as a `'name:description'` entry, fish as `-a "name"`.
#[test]
fn completions_offer_every_subcommand() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, err) = smfcheck(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(err.is_empty(), "{shell}: {err}");
        let top_level: Option<Vec<&str>> = (shell == "bash").then(|| {
            let line = out
                .lines()
                .find(|l| l.trim_start().starts_with("opts=\"-h -V"))
                .unwrap_or_else(|| panic!("bash: no top-level word list\n{out}"));
            line.trim()
                .trim_start_matches("opts=\"")
                .trim_end_matches('"')
                .split_whitespace()
                .collect()
        });
        for name in &names {
            let offered = match shell {
                "bash" => top_level.as_ref().unwrap().contains(&name.as_str()),
                "zsh" => out.contains(&format!("'{name}:")),
                _ => out.contains(&format!("-a \"{name}\"")),
            };
            assert!(offered, "{shell} does not offer `{name}`:\n{out}");
        }
    }
    let (code, _, err) = smfcheck(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{err}");
}

/// `smfcheck man` is a roff page of smfcheck(1) whose SUBCOMMANDS section names every
/// subcommand's page, and `smfcheck man NAME` prints that page.
#[test]
fn man_page_is_roff_with_every_subcommand() {
    let names = subcommands();
    let (code, out, err) = smfcheck(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(".ie \\n(.g .ds Aq"), "not roff:\n{out}");
    assert!(out.contains("\n.TH smfcheck 1 "), "{out}");
    let subcommands = out
        .split("\n.SH SUBCOMMANDS\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no SUBCOMMANDS section:\n{out}"));
    for name in &names {
        assert!(
            subcommands.contains(&format!("smfcheck\\-{name}(1)")),
            "{name} missing from SUBCOMMANDS:\n{out}"
        );
        let (code, page, err) = smfcheck(&["man", name]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            page.contains(&format!("\n.TH smfcheck-{name} 1 ")),
            "{name}:\n{page}"
        );
        assert!(page.contains("\n.SH NAME\n"), "{name}:\n{page}");
    }
    let (code, _, err) = smfcheck(&["man", "no-such-subcommand"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a subcommand"), "{err}");
}

/// `smfcheck SUB --help` ends with "Example…:" and a command line of SUB that clap accepts (up
/// to a pipe or a redirection), so an example cannot go stale when an option changes.
#[test]
fn every_subcommand_help_ends_with_a_valid_example() {
    for name in subcommands() {
        let (code, out, err) = smfcheck(&[&name, "--help"]);
        assert_eq!(code, 0, "{name}: {err}");
        let lines: Vec<&str> = out.trim_end().lines().collect();
        let (last, before) = lines.split_last().expect("some help");
        assert!(
            before.last().is_some_and(|l| l.starts_with("Example")),
            "{name}: the help does not end with an example:\n{out}"
        );
        let prefix = format!("  smfcheck {name}");
        assert!(
            last.starts_with(&prefix),
            "{name}: the example is not a `{prefix}` command line:\n{out}"
        );
        let argv: Vec<&str> = last
            .split_whitespace()
            .take_while(|w| !matches!(*w, "|" | ">" | ">>" | "<"))
            .collect();
        if let Err(e) = Cli::try_parse_from(&argv) {
            panic!(
                "{name}: the example `{}` does not parse: {e}",
                argv.join(" ")
            );
        }
    }
}
