#!/usr/bin/env bash
# Stops what services-start.sh started, each by its saved pid, and removes the journald
# namespace's sockets, storage and configuration.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SVC=${LOGKIT_SVC:-/tmp/logkit-svc}
NS=logkit

# A process that exited but was not reaped yet is a zombie: `kill -0` still succeeds on it.
running() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

pids=()
for name in otlp-tls otlp https http smtp-auth smtp journald-keeper journald; do
    f=$SVC/$name.pid
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
    rm -f "$f"
done
bash "$HERE/rsyslog.sh" stop "$SVC/rsyslog"
rm -f "$SVC/rsyslog.pid"
# The syslog-over-TLS relay chain: the relays first (a test's own, left by a test that was
# killed, too), so that they can hand on what they hold.
for d in "$SVC"/syslog-relay "$SVC"/syslog-relay-*; do
    [ -d "$d" ] && bash "$HERE/relay.sh" stop "$d"
done
bash "$HERE/relay.sh" stop "$SVC/syslog-final"
for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do running "$pid" || break; sleep 0.05; done
    running "$pid" && echo "services-stop.sh: pid $pid still running after 5 s" >&2
done
if [ -f /etc/machine-id ]; then
    rm -rf /run/systemd/journal.$NS "/run/log/journal/$(cat /etc/machine-id).$NS" /etc/systemd/journald@$NS.conf
fi
exit 0
