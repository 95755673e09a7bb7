#!/usr/bin/env bash
# One rsyslog instance listening on loopback, capturing what it receives into files.
#
#   rsyslog.sh start DIR PORT   # UDP+TCP on 127.0.0.1:PORT and [::1]:PORT, unix socket DIR/log.sock;
#                               # waits until all three inputs deliver (5 s deadline)
#   rsyslog.sh stop DIR         # SIGTERM to the instance's pid, waits until it has exited
#
# DIR receives raw.log (%rawmsg%, one line per message), json.log (one JSON object per
# message: input, pri, facility, severity, timestamp, hostname, tag, app, procid, msgid, sd,
# msg, raw) and rsyslogd.out. The instance reads only DIR/rsyslog.conf, never /etc/rsyslog.conf,
# and stays off /dev/log. The restart test of tests/net_handlers.rs runs a second instance
# with this script.
set -euo pipefail

running() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

cmd=${1:?usage: rsyslog.sh start DIR PORT | stop DIR}
R=${2:?directory}
case "$cmd" in
start)
    PORT=${3:?port}
    mkdir -p "$R"
    cat >"$R/rsyslog.conf" <<CONF
global(workDirectory="$R" maxMessageSize="64k" net.enableDNS="off")
module(load="imuxsock" SysSock.Use="off")
module(load="imudp")
module(load="imtcp")
template(name="raw" type="string" string="%rawmsg%\n")
template(name="json" type="list" option.jsonf="on") {
  property(outname="input" name="inputname" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="tag" name="syslogtag" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="raw" name="rawmsg" format="jsonf")
}
ruleset(name="capture") {
  action(type="omfile" file="$R/raw.log" template="raw")
  action(type="omfile" file="$R/json.log" template="json")
}
input(type="imudp" address="127.0.0.1" port="$PORT" ruleset="capture")
input(type="imtcp" address="127.0.0.1" port="$PORT" ruleset="capture")
input(type="imudp" address="::1" port="$PORT" ruleset="capture")
input(type="imtcp" address="::1" port="$PORT" ruleset="capture")
input(type="imuxsock" Socket="$R/log.sock" CreatePath="on" ruleset="capture")
CONF
    rsyslogd -N1 -f "$R/rsyslog.conf" >"$R/check.out" 2>&1 || { cat "$R/check.out" >&2; exit 1; }
    rm -f "$R/rsyslogd.pid"
    rsyslogd -n -f "$R/rsyslog.conf" -i "$R/rsyslogd.pid" >"$R/rsyslogd.out" 2>&1 &
    echo $! >"$R/pid"
    probe="ready-$$-$RANDOM"
    for _ in $(seq 1 100); do
        logger -n 127.0.0.1 -P "$PORT" -d --rfc3164 -t probe "$probe-udp" 2>/dev/null || true
        logger -n 127.0.0.1 -P "$PORT" -T --rfc3164 -t probe "$probe-tcp" 2>/dev/null || true
        [ -S "$R/log.sock" ] && logger -u "$R/log.sock" -t probe "$probe-unix" 2>/dev/null || true
        if grep -q "$probe-udp" "$R/raw.log" 2>/dev/null && grep -q "$probe-tcp" "$R/raw.log" &&
            grep -q "$probe-unix" "$R/raw.log"; then
            exit 0
        fi
        running "$(cat "$R/pid")" || { echo "rsyslogd exited:" >&2; cat "$R/rsyslogd.out" >&2; exit 1; }
        sleep 0.05
    done
    echo "rsyslogd on port $PORT not ready after 5 s" >&2
    exit 1
    ;;
stop)
    [ -f "$R/pid" ] || exit 0
    pid=$(cat "$R/pid")
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do running "$pid" || break; sleep 0.05; done
    fi
    rm -f "$R/pid"
    ;;
*)
    echo "usage: rsyslog.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
