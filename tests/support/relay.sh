#!/usr/bin/env bash
# A syslog relay chain on loopback, as a fleet runs one: a relay rsyslog that accepts syslog
# over TLS (RFC 5425, the gtls driver of rsyslog-gnutls) and forwards everything over TCP
# (octet-counted RFC 5424) to a final rsyslog that writes it to files. The tests of
# tests/syslog_tls.rs restart the relay with this script.
#
#   relay.sh final DIR PORT                          # the final instance: plain TCP on
#                                                    # 127.0.0.1:PORT; DIR/json.log, DIR/raw.log
#   relay.sh relay DIR PORT ANON_PORT FINAL_PORT TLS # writes the relay's configuration, starts it
#   relay.sh start DIR                               # starts an instance again (its configuration
#                                                    # is kept), waits until it listens
#   relay.sh stop DIR                                # SIGTERM, waits until it has exited
#
# The relay listens on 127.0.0.1:PORT with TLS and client certificates required
# (x509/certvalid: signed by the CA), and on 127.0.0.1:ANON_PORT with TLS and no client
# certificate (anon). TLS is a directory with ca.pem, cert.pem and key.pem (its server
# certificate, for localhost and 127.0.0.1). Its forwarding action has a disk-assisted queue
# saved at shutdown and retries for ever, so nothing it accepted is lost across its own
# restart or while the final instance is down. Each instance has its own DIR: rsyslog.conf,
# pid, rsyslogd.out (its own error messages), queue files.
set -euo pipefail

running() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
# listening PORT: whether something listens on 127.0.0.1:PORT (TCP), without connecting.
listening() { grep -q "^ *[0-9]*: 0100007F:$(printf '%04X' "$1") 00000000:0000 0A" /proc/net/tcp; }

json_template() {
    cat <<'CONF'
template(name="json" type="list" option.jsonf="on") {
  property(outname="input" name="inputname" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="raw" name="rawmsg" format="jsonf")
}
CONF
}

# start DIR: starts the instance configured in DIR and waits (5 s) until its ports listen.
start() {
    local R=$1 port
    rsyslogd -N1 -f "$R/rsyslog.conf" >"$R/check.out" 2>&1 || { cat "$R/check.out" >&2; exit 1; }
    rm -f "$R/rsyslogd.pid"
    rsyslogd -n -f "$R/rsyslog.conf" -i "$R/rsyslogd.pid" >>"$R/rsyslogd.out" 2>&1 &
    echo $! >"$R/pid"
    for _ in $(seq 1 100); do
        local all=1
        for port in $(cat "$R/ports"); do listening "$port" || all=0; done
        ((all)) && exit 0
        running "$(cat "$R/pid")" || { echo "rsyslogd ($R) exited:" >&2; cat "$R/rsyslogd.out" >&2; exit 1; }
        sleep 0.05
    done
    echo "rsyslogd ($R) not listening on $(cat "$R/ports") after 5 s" >&2
    exit 1
}

cmd=${1:?usage: relay.sh final DIR PORT | relay DIR PORT ANON_PORT FINAL_PORT TLS | start DIR | stop DIR}
R=${2:?directory}
case "$cmd" in
final)
    PORT=${3:?port}
    mkdir -p "$R"
    {
        echo "global(workDirectory=\"$R\" maxMessageSize=\"64k\" net.enableDNS=\"off\")"
        echo 'module(load="imtcp")'
        echo 'template(name="raw" type="string" string="%rawmsg%\n")'
        json_template
        cat <<CONF
ruleset(name="capture") {
  action(type="omfile" file="$R/raw.log" template="raw")
  action(type="omfile" file="$R/json.log" template="json")
}
input(type="imtcp" address="127.0.0.1" port="$PORT" ruleset="capture")
CONF
    } >"$R/rsyslog.conf"
    echo "$PORT" >"$R/ports"
    start "$R"
    ;;
relay)
    PORT=${3:?port} ANON=${4:?anon port} FINAL=${5:?final port} TLS=${6:?tls directory}
    mkdir -p "$R"
    cat >"$R/rsyslog.conf" <<CONF
global(workDirectory="$R" maxMessageSize="64k" net.enableDNS="off"
       DefaultNetstreamDriver="gtls"
       DefaultNetstreamDriverCAFile="$TLS/ca.pem"
       DefaultNetstreamDriverCertFile="$TLS/cert.pem"
       DefaultNetstreamDriverKeyFile="$TLS/key.pem")
# What the inputs took in is kept across a shutdown, as the forwarding queue is.
main_queue(queue.type="LinkedList" queue.filename="main" queue.saveOnShutdown="on")
module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1"
       StreamDriver.AuthMode="x509/certvalid")
ruleset(name="forward") {
  action(type="omfwd" target="127.0.0.1" port="$FINAL" protocol="tcp"
         TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
         queue.type="LinkedList" queue.filename="forward" queue.saveOnShutdown="on"
         action.resumeRetryCount="-1" action.resumeInterval="1")
}
input(type="imtcp" name="tls-mutual" address="127.0.0.1" port="$PORT" ruleset="forward")
input(type="imtcp" name="tls-anon" address="127.0.0.1" port="$ANON" ruleset="forward"
      StreamDriver.AuthMode="anon")
CONF
    echo "$PORT $ANON" >"$R/ports"
    start "$R"
    ;;
start)
    start "$R"
    ;;
stop)
    [ -f "$R/pid" ] || exit 0
    pid=$(cat "$R/pid")
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 200); do running "$pid" || break; sleep 0.05; done
        running "$pid" && { echo "rsyslogd ($R, pid $pid) still running after 10 s" >&2; exit 1; }
    fi
    rm -f "$R/pid"
    ;;
*)
    echo "usage: relay.sh final DIR PORT | relay DIR PORT ANON_PORT FINAL_PORT TLS | start DIR | stop DIR" >&2
    exit 2
    ;;
esac
