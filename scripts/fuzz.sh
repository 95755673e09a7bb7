#!/usr/bin/env bash
# Long fuzzing runs of logkit's parsers (the targets of `logkit_core::fuzz`).
#
#   bash scripts/fuzz.sh [seconds per target] [target ...]
#
# With a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`), each target runs
# coverage-guided under libFuzzer, starting from tests/fuzz/seeds/<target> and keeping what
# it learns in target/fuzz-corpus/<target>. Otherwise the deterministic mutator of
# tests/fuzz.rs runs for as long (a release build, a new seed each run). A crash is kept as a
# file to add to tests/fuzz/regressions/<target>/ once fixed, where CI runs it for ever.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(template message ini dict_config py_literal level_env http_response smtp_reply packed_args)
fi

if cargo +nightly fuzz --version >/dev/null 2>&1; then
    for t in "${targets[@]}"; do
        corpus="target/fuzz-corpus/$t"
        mkdir -p "$corpus"
        echo "== cargo fuzz run $t (${seconds}s)"
        cargo +nightly fuzz run --fuzz-dir tests/fuzz/cargo-fuzz "$t" "$corpus" "tests/fuzz/seeds/$t" \
            -- -max_total_time="$seconds" -max_len=4096 -timeout=20
    done
else
    echo "fuzz: no nightly cargo-fuzz here (rustup toolchain install nightly; cargo install cargo-fuzz);"
    echo "fuzz: running the deterministic mutator of tests/fuzz.rs instead"
    LOGKIT_FUZZ_SECONDS="$seconds" LOGKIT_FUZZ_SEED="$(date +%s)" \
        cargo test --release -p logkit-tests --test fuzz -- "${targets[@]}"
fi
