#!/usr/bin/env bash
# The loom models of the queue's ring (`loom_*` in logkit-core/src/handler/queue/ring.rs):
# two producers and a consumer on a ring of two slots (wrap-around, the full ring, a panic
# between claiming a slot and publishing it), every interleaving up to LOOM_MAX_PREEMPTIONS
# preemptions, each slot access checked for data races. Works on the stable toolchain.
#
#   bash scripts/loom.sh                          # 3 preemptions (about a minute, once built)
#   LOOM_MAX_PREEMPTIONS=2 bash scripts/loom.sh   # quicker
#
# Its own target directory: `--cfg loom` rebuilds every dependency, which would otherwise
# evict the ordinary build's artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."

export LOOM_MAX_PREEMPTIONS="${LOOM_MAX_PREEMPTIONS:-3}"
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg loom"
export CARGO_TARGET_DIR="${LOOM_TARGET_DIR:-target/loom}"
echo "== loom models (LOOM_MAX_PREEMPTIONS=$LOOM_MAX_PREEMPTIONS)"
cargo test -p logkit-core --lib --release -- loom_
