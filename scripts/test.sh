#!/usr/bin/env bash
# The full test suite: everything `cargo test --workspace` runs, plus the tests that need
# real servers (ignored by plain `cargo test`), plus the compile-time level filters in both
# build profiles. Installs and starts what the suite needs first, and stops it at the end.
#
#   bash scripts/test.sh          # from a fresh clone; needs cargo and python3
set -euo pipefail
cd "$(dirname "$0")/.."

# Tests compare text exactly: a backtrace captured by `exception!` would be appended.
export RUST_LIB_BACKTRACE=0
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The CPython conformance suite fails, rather than skips, without python3.
export LOGKIT_REQUIRE_PYTHON=1

# python3 runs the CPython side of the conformance suite and the server scripts.
if ! command -v python3 >/dev/null 2>&1; then
    echo "scripts/test.sh: python3 is required (the CPython conformance suite)" >&2
    exit 1
fi

# Real servers for the network handlers' tests (tests/net_handlers.rs, tests/otlp.rs,
# tests/syslog_tls.rs): rsyslog, journald, SMTP, an HTTP and an OTLP receiver and an rsyslog
# TLS relay chain on loopback; the tests read the LOGKIT_* variables of the env file.
bash tests/support/services-start.sh
trap 'bash tests/support/services-stop.sh' EXIT
# shellcheck disable=SC1091
. "${LOGKIT_SVC:-/tmp/logkit-svc}/env"

echo "== cargo test --workspace (with the server tests)"
cargo test --workspace --locked -- --include-ignored

echo "== compile-time level filters (outside the workspace), debug and release"
cargo run --locked --manifest-path tests/max-level/Cargo.toml
cargo run --locked --release --manifest-path tests/max-level/Cargo.toml

echo "== both bridges while tracing also logs to \`log\` (its log-always feature, outside the workspace)"
cargo run --locked --manifest-path tests/log-always/Cargo.toml
