#!/usr/bin/env bash
# Starts the real servers that the network-handler tests (tests/net_handlers.rs, otlp.rs,
# syslog_tls.rs) talk to, on loopback only, and writes $LOGKIT_SVC/env (LOGKIT_SVC defaults
# to /tmp/logkit-svc), which
# exports the LOGKIT_* variables the tests read:
#
#   rsyslog           UDP + TCP 127.0.0.1:15514, unix socket $LOGKIT_SYSLOG_UNIX; capture files
#                     in $LOGKIT_SYSLOG_DIR (raw.log, json.log)
#   systemd-journald  a private namespace "logkit": $LOGKIT_JOURNAL_SOCKET, read back with
#                     `journalctl --namespace=logkit`
#   SMTP (aiosmtpd)   127.0.0.1:8025 plain; 127.0.0.1:8026 with AUTH (logkit:secret) and STARTTLS
#   HTTP sink         127.0.0.1:18080, one JSON line per request in $LOGKIT_HTTP_LOG; https on
#                     127.0.0.1:18443 ($LOGKIT_HTTPS_LOG)
#   TLS               a throw-away CA ($LOGKIT_TLS_CA) and a server certificate it signed, for
#                     localhost and 127.0.0.1, used by the STARTTLS and https servers
#   OTLP/HTTP         otlp_sink.py (official opentelemetry-proto classes, in a venv) on
#                     127.0.0.1:14318 ($LOGKIT_OTLP, requests in $LOGKIT_OTLP_LOG); https on
#                     127.0.0.1:14319 ($LOGKIT_OTLP_TLS, $LOGKIT_OTLP_TLS_LOG)
#   syslog over TLS   a relay rsyslog, TLS on 127.0.0.1:16514 (client certificate
#                     $LOGKIT_SYSLOG_TLS_CERT required) and 127.0.0.1:16515, forwarding to a
#                     final rsyslog on 127.0.0.1:15517 writing $LOGKIT_SYSLOG_FINAL_LOG
#
# Installs what is missing with apt-get (Debian; needs root), waits for each server with a
# deadline, and exits non-zero if one does not come up. Stop them with services-stop.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SVC=${LOGKIT_SVC:-/tmp/logkit-svc}
PY=/usr/bin/python3 # Debian's: pyenv's python3 does not see python3-aiosmtpd
NS=logkit

running() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
ms() { date +%s%3N; }
# wait_for NAME PID CMD...: polls CMD every 50 ms for up to 10 s while PID runs.
wait_for() {
    local name=$1 pid=$2 t0
    shift 2
    t0=$(ms)
    for _ in $(seq 1 200); do
        if "$@" 2>/dev/null; then
            echo "$name ready in $(($(ms) - t0)) ms (pid $pid)"
            return 0
        fi
        running "$pid" || { echo "$name exited before it was ready" >&2; return 1; }
        sleep 0.05
    done
    echo "$name not ready after 10 s" >&2
    return 1
}

# A previous run's servers would hold the ports.
bash "$HERE/services-stop.sh" >/dev/null 2>&1 || true
mkdir -p "$SVC"

# === install what is missing ===
need=()
command -v rsyslogd >/dev/null || need+=(rsyslog)
command -v logger >/dev/null || need+=(bsdutils)
command -v openssl >/dev/null || need+=(openssl)
[ -x $PY ] && $PY -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
[ -x /lib/systemd/systemd-journald ] && command -v journalctl >/dev/null || need+=(systemd)
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "services-start.sh: missing ${need[*]}; install them (apt-get, as root) or run as root" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# === rsyslog ===
R=$SVC/rsyslog
t0=$(ms)
bash "$HERE/rsyslog.sh" start "$R" 15514
echo "rsyslog ready in $(($(ms) - t0)) ms (pid $(cat "$R/pid"))"
cp "$R/pid" "$SVC/rsyslog.pid"

# === systemd-journald, namespace "logkit" ===
J=$SVC/journald
mkdir -p "$J"
MID=$(cat /etc/machine-id)
cat >/etc/systemd/journald@$NS.conf <<'CONF'
[Journal]
Storage=volatile
RateLimitIntervalSec=0
RateLimitBurst=0
ForwardToSyslog=no
ForwardToWall=no
MaxLevelStore=debug
CONF
rm -rf /run/systemd/journal.$NS /run/log/journal/"$MID".$NS /var/log/journal/"$MID".$NS
/lib/systemd/systemd-journald $NS >"$J/out.log" 2>&1 &
echo $! >"$SVC/journald.pid"
journal_ready() {
    [ -S /run/systemd/journal.$NS/socket ] &&
        $PY -c 'import socket,sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"MESSAGE=ready-probe\nSYSLOG_IDENTIFIER=logkit-probe\n", sys.argv[1])' \
            /run/systemd/journal.$NS/socket &&
        journalctl --namespace=$NS -q --no-pager -o cat SYSLOG_IDENTIFIER=logkit-probe | grep -q ready-probe
}
wait_for journald "$(cat "$SVC/journald.pid")" journal_ready
# A namespace instance exits after ~30 s without a client; a connected stdout stream keeps it
# up while cargo builds the tests.
$PY -c '
import signal, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"logkit-keepalive\n\n6\n0\n0\n0\n0\n")
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.pause()' /run/systemd/journal.$NS/stdout >"$J/keeper.out" 2>&1 &
echo $! >"$SVC/journald-keeper.pid"

# === TLS: a CA and a server certificate signed by it (rustls refuses a self-signed CA
# certificate as the server's own) ===
T=$SVC/tls
mkdir -p "$T"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.pem" -days 2 \
    -subj /CN=logkit-test-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/server.csr" \
    -subj /CN=localhost 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$T/server.ext"
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
    -out "$T/cert.pem" -days 2 -extfile "$T/server.ext" 2>/dev/null

# === SMTP ===
S=$SVC/smtp
mkdir -p "$S"
$PY -m aiosmtpd -n -l 127.0.0.1:8025 -c aiosmtpd.handlers.Mailbox "$S/maildir" >"$S/aiosmtpd.out" 2>&1 &
echo $! >"$SVC/smtp.pid"
smtp_ready() { bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && head -c3 <&3 | grep -q 220"; }
wait_for smtp "$(cat "$SVC/smtp.pid")" smtp_ready 8025
$PY "$HERE/smtp_server.py" "$S/maildir-auth" 8026 --auth logkit:secret --tls "$T/cert.pem" "$T/key.pem" \
    >"$S/auth.out" 2>&1 &
echo $! >"$SVC/smtp-auth.pid"
wait_for smtp-auth "$(cat "$SVC/smtp-auth.pid")" grep -q 'smtp listening' "$S/auth.out"

# === HTTP sink ===
H=$SVC/http
mkdir -p "$H"
$PY "$HERE/http_sink.py" "$H/requests.jsonl" 18080 >"$H/out.log" 2>&1 &
echo $! >"$SVC/http.pid"
wait_for "http sink" "$(cat "$SVC/http.pid")" grep -q 'http sink on' "$H/out.log"
$PY "$HERE/http_sink.py" "$H/requests-tls.jsonl" 18443 --tls "$T/cert.pem" "$T/key.pem" >"$H/out-tls.log" 2>&1 &
echo $! >"$SVC/https.pid"
wait_for "https sink" "$(cat "$SVC/https.pid")" grep -q 'http sink on' "$H/out-tls.log"

# === OTLP/HTTP receiver ===
# The official OpenTelemetry protobuf classes come from PyPI, into a venv made once (Debian's
# python3 needs python3-venv for that).
OV=${LOGKIT_OTLP_VENV:-/tmp/logkit-otlp-venv}
O=$SVC/otlp
mkdir -p "$O"
if ! "$OV/bin/python" -c 'import opentelemetry.proto.collector.logs.v1.logs_service_pb2' 2>/dev/null; then
    if ! $PY -c 'import ensurepip' 2>/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    fi
    rm -rf "$OV"
    $PY -m venv "$OV"
    "$OV/bin/pip" install -q opentelemetry-proto==1.45.2 protobuf==7.36.2
fi
"$OV/bin/python" "$HERE/otlp_sink.py" "$O/requests.jsonl" 14318 >"$O/out.log" 2>&1 &
echo $! >"$SVC/otlp.pid"
wait_for "otlp receiver" "$(cat "$SVC/otlp.pid")" grep -q 'otlp sink on' "$O/out.log"
"$OV/bin/python" "$HERE/otlp_sink.py" "$O/requests-tls.jsonl" 14319 --tls "$T/cert.pem" "$T/key.pem" \
    >"$O/out-tls.log" 2>&1 &
echo $! >"$SVC/otlp-tls.pid"
wait_for "otlp receiver (https)" "$(cat "$SVC/otlp-tls.pid")" grep -q 'otlp sink on' "$O/out-tls.log"

# === syslog over TLS: a relay chain ===
# A relay rsyslog taking syslog over TLS (RFC 5425; rsyslog-gnutls's gtls driver) on
# 127.0.0.1:16514 (client certificate required) and 127.0.0.1:16515 (no client certificate),
# forwarding over TCP to a final rsyslog on 127.0.0.1:15517 that writes json.log and raw.log
# (tests/support/relay.sh). The relay's server certificate is $T/cert.pem; a client
# certificate signed by the same CA is made here for mutual TLS.
if ! dpkg -s rsyslog-gnutls >/dev/null 2>&1; then
    echo "installing: rsyslog-gnutls"
    if [ "$(id -u)" != 0 ]; then
        echo "services-start.sh: missing rsyslog-gnutls; install it (apt-get, as root) or run as root" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rsyslog-gnutls >/dev/null
fi
openssl req -newkey rsa:2048 -nodes -keyout "$T/client-key.pem" -out "$T/client.csr" \
    -subj /CN=logkit-client 2>/dev/null
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' >"$T/client.ext"
openssl x509 -req -in "$T/client.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
    -out "$T/client.pem" -days 2 -extfile "$T/client.ext" 2>/dev/null
RF=$SVC/syslog-final
RL=$SVC/syslog-relay
t0=$(ms)
bash "$HERE/relay.sh" final "$RF" 15517
echo "syslog final ready in $(($(ms) - t0)) ms (pid $(cat "$RF/pid"))"
t0=$(ms)
bash "$HERE/relay.sh" relay "$RL" 16514 16515 15517 "$T"
# Ready when a record sent over TLS with the client certificate reaches the final file.
relay_probe="relay-probe-$$-$RANDOM"
relay_ready() {
    local msg="<14>1 - localhost probe - - - $relay_probe"
    printf '%d %s' "${#msg}" "$msg" |
        timeout 5 openssl s_client -quiet -no_ign_eof -connect 127.0.0.1:16514 -CAfile "$T/ca.pem" \
            -cert "$T/client.pem" -key "$T/client-key.pem" -verify_return_error >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do
        grep -q "$relay_probe" "$RF/raw.log" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}
wait_for "syslog TLS relay" "$(cat "$RL/pid")" relay_ready

cat >"$SVC/env" <<ENV
export LOGKIT_SVC=$SVC
export LOGKIT_SYSLOG_ADDR=127.0.0.1:15514
export LOGKIT_SYSLOG_UNIX=$R/log.sock
export LOGKIT_SYSLOG_DIR=$R
export LOGKIT_RSYSLOG_SH=$HERE/rsyslog.sh
export LOGKIT_JOURNAL_SOCKET=/run/systemd/journal.$NS/socket
export LOGKIT_JOURNAL_NAMESPACE=$NS
export LOGKIT_SMTP=127.0.0.1:8025
export LOGKIT_SMTP_MAILDIR=$S/maildir
export LOGKIT_SMTP_AUTH=127.0.0.1:8026
export LOGKIT_SMTP_AUTH_MAILDIR=$S/maildir-auth
export LOGKIT_SMTP_USER=logkit
export LOGKIT_SMTP_PASSWORD=secret
export LOGKIT_HTTP=127.0.0.1:18080
export LOGKIT_HTTP_LOG=$H/requests.jsonl
export LOGKIT_HTTPS=127.0.0.1:18443
export LOGKIT_HTTPS_LOG=$H/requests-tls.jsonl
export LOGKIT_TLS_CA=$T/ca.pem
export LOGKIT_OTLP=127.0.0.1:14318
export LOGKIT_OTLP_LOG=$O/requests.jsonl
export LOGKIT_OTLP_TLS=127.0.0.1:14319
export LOGKIT_OTLP_TLS_LOG=$O/requests-tls.jsonl
export LOGKIT_SYSLOG_TLS=127.0.0.1:16514
export LOGKIT_SYSLOG_TLS_ANON=127.0.0.1:16515
export LOGKIT_SYSLOG_TLS_CERT=$T/client.pem
export LOGKIT_SYSLOG_TLS_KEY=$T/client-key.pem
export LOGKIT_SYSLOG_RELAY_DIR=$RL
export LOGKIT_SYSLOG_FINAL=127.0.0.1:15517
export LOGKIT_SYSLOG_FINAL_DIR=$RF
export LOGKIT_SYSLOG_FINAL_LOG=$RF/json.log
export LOGKIT_RELAY_SH=$HERE/relay.sh
ENV
echo "services up; env in $SVC/env"
