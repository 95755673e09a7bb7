#!/usr/bin/env bash
# Miri over the unit tests that reach logkit-core's unsafe code (docs/unsafe.md lists which
# test proves which block): the queue's ring and a queue handler around it, packed message
# arguments, short copies, string recognition, record origins and the record clock.
#
#   bash scripts/miri.sh            # exits 0 with "skipped: ..." when there is no nightly
#
# Flags: -Zmiri-strict-provenance (no integer-to-pointer casts anywhere on these paths);
# -Zmiri-disable-isolation because records read the system clock (SystemTime::now) and the
# listener waits with timeouts. Under Miri the record clock reads the system clock instead
# of the CPU's time-stamp counter, and no exit hook is registered (Miri runs neither
# `rdtsc` nor `atexit`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "scripts/miri.sh: skipped: no nightly toolchain"
    exit 0
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "== installing miri and rust-src for the nightly toolchain"
    if ! rustup component add --toolchain nightly miri rust-src; then
        echo "scripts/miri.sh: skipped: miri could not be installed for the nightly toolchain"
        exit 0
    fi
fi

export MIRIFLAGS="${MIRIFLAGS:--Zmiri-strict-provenance -Zmiri-disable-isolation}"
export RUST_LIB_BACKTRACE=0
echo "== miri (MIRIFLAGS=$MIRIFLAGS)"
cargo +nightly miri test -p logkit-core --lib -- \
    handler::queue:: \
    message::packed:: \
    message::arg:: \
    format::push:: \
    record::now:: \
    record::tests::

# The ring's tests again under eight scheduler seeds: Miri then runs the threads in other
# interleavings (and checks each for data races and undefined behaviour).
echo "== miri, the ring under eight scheduler seeds"
MIRIFLAGS="$MIRIFLAGS -Zmiri-many-seeds=0..8" \
    cargo +nightly miri test -p logkit-core --lib -- handler::queue::ring::
