#!/usr/bin/env bash
# Regenerates the README's pictures in docs/img/ (not run by CI; the committed files are the
# output). Needs Graphviz for the DOT pictures (`apt-get install graphviz`) and, for the Explorer
# screenshot, Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
smfcheck=${CARGO_TARGET_DIR:-target}/release/smfcheck
img=docs/img
campaign=(models/thesis-case-study/expected-campaign.xml
  --config models/thesis-case-study/source.xml --compat models/thesis-case-study/compat.xml)

# Fig. 2.6 (the standard step FSM) and Fig. 4.3/4.4 (a middle nested step), from exploration.
"$smfcheck" graph --step in-phase | dot -Tsvg > "$img/fsm-in-phase.svg"
"$smfcheck" graph --step in-phase,in-phase,in-phase | dot -Tsvg > "$img/fsm-nested-2-of-3.svg"
# The thesis case study's procedure/step structure.
"$smfcheck" graph "${campaign[@]}" | dot -Tsvg > "$img/campaign-thesis.svg"
# The §4.1.2 counterexample (written by the test helper tests/explore.rs::write_counterexample)
# as the Explorer's sequence diagram.
"$smfcheck" graph --trace "$img/base-type-counterexample.json" --format svg > "$img/trace-base-type.svg"
# The Explorer in headless chromium, at the last state of that counterexample.
SMFCHECK_REQUIRE_BROWSER=1 SMFCHECK_SCREENSHOT="$PWD/$img/explorer.png" \
  cargo test --release --quiet -- browser::
