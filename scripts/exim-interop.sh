#!/usr/bin/env bash
# exim-interop.sh — run Exim on loopback for the smtpscope interop suite
# (session/interop_exim_test.go), beside the Postfix of postfix-interop.sh.
#
#   scripts/exim-interop.sh start   fetch Exim if missing, write a private
#                                   configuration, start the daemon
#   scripts/exim-interop.sh env     print the exports the tests read
#   scripts/exim-interop.sh stop    stop the daemon, remove all state
#   scripts/exim-interop.sh status  say whether the instance is running
#
# Debian's exim4 packages conflict with postfix (both are the system's
# mail-transport-agent), so installing them would remove the Postfix the
# other suite needs. Instead, when no /usr/sbin/exim4 exists, this script
# downloads the exim4-daemon-light package with apt-get download, extracts
# its binary with dpkg-deb -x into a private directory
# ($SMTPSCOPE_EXIM_CACHE, default /var/cache/smtpscope-exim), installs the
# plain libraries it links against (no MTA package), and creates the
# Debian-exim system user the binary is built to run as. Nothing in
# /etc/exim4 is read or changed; a system Exim keeps running untouched.
#
# State lives in one directory ($SMTPSCOPE_EXIM_STATE, default
# /tmp/smtpscope-exim): configuration rendered from testdata/exim/*.in, a
# throwaway CA and server certificate, spool, maildir and logs. Listeners
# are on 127.0.0.1 only and no mail leaves the machine. Needs root (Exim
# drops to its own user). Never reads standard input.
set -euo pipefail
exec </dev/null

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_DIR
readonly TEMPLATE_DIR="$REPO_DIR/testdata/exim"
readonly STATE="${SMTPSCOPE_EXIM_STATE:-/tmp/smtpscope-exim}"
readonly CACHE="${SMTPSCOPE_EXIM_CACHE:-/var/cache/smtpscope-exim}"

readonly HOST=127.0.0.1
readonly SMTP_PORT=11025  # SMTP, STARTTLS offered, AUTH after TLS
readonly SMTPS_PORT=11465 # implicit TLS
readonly DOMAIN=exim.interop.test
readonly SASL_USER=demo@localhost
readonly SASL_PASSWORD=exim-demo-password # test-only, never a real secret
readonly EXIM_USER=Debian-exim            # the user Debian builds Exim to run as
readonly WAIT_SECONDS=30
readonly CERT_DAYS=365

log() { printf 'exim-interop: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

if [ -z "$STATE" ] || [ "$STATE" = / ]; then
  die "SMTPSCOPE_EXIM_STATE must name a directory of its own"
fi

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

wait_for() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 0.2
  done
}

exim_running() {
  [ -s "$STATE/exim.pid" ] && kill -0 "$(tr -d ' \n' <"$STATE/exim.pid")" 2>/dev/null
}
exim_gone() { ! exim_running; }
all_ports_open() { port_open "$SMTP_PORT" && port_open "$SMTPS_PORT"; }

# exim_binary prints the Exim to run: the system's, or the private copy.
exim_binary() {
  if [ -x /usr/sbin/exim4 ]; then
    echo /usr/sbin/exim4
  else
    echo "$CACHE/root/usr/sbin/exim4"
  fi
}

# links_ok BINARY: every shared library the binary needs is present.
links_ok() { [ -x "$1" ] && ! ldd "$1" 2>/dev/null | grep -q 'not found'; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$@" >"$CACHE/apt.log" 2>&1 ||
    { apt-get update -qq >>"$CACHE/apt.log" 2>&1 && apt-get install -y -qq "$@" >>"$CACHE/apt.log" 2>&1; } ||
    { tail -n 20 "$CACHE/apt.log" >&2; die "could not install $* (log: $CACHE/apt.log)"; }
}

install_exim() {
  local bin
  bin=$(exim_binary)
  if links_ok "$bin" && getent passwd "$EXIM_USER" >/dev/null; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "Exim is not set up; run as root to fetch it"
  mkdir -p "$CACHE"
  if [ ! -x "$bin" ]; then
    log "fetching exim4-daemon-light (apt-get download; no MTA package is installed)"
    local dl
    dl=$(mktemp -d)
    chmod 755 "$dl" # apt's sandbox user downloads into it
    if ! (cd "$dl" && apt-get download -qq exim4-daemon-light >"$CACHE/apt.log" 2>&1); then
      apt-get update -qq >>"$CACHE/apt.log" 2>&1 || true
      (cd "$dl" && apt-get download -qq exim4-daemon-light >>"$CACHE/apt.log" 2>&1) ||
        { tail -n 20 "$CACHE/apt.log" >&2; die "could not download exim4-daemon-light"; }
    fi
    local deb
    deb=$(ls "$dl"/exim4-daemon-light_*.deb)
    rm -rf "$CACHE/root"
    dpkg-deb -x "$deb" "$CACHE/root"
    # The libraries it links against, and nothing that is a mail server.
    local libs
    libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep '^lib' || true)
    rm -rf "$dl"
    [ -n "$libs" ] && apt_install $libs
  fi
  if ! command -v openssl >/dev/null; then
    apt_install openssl
  fi
  if ! getent passwd "$EXIM_USER" >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$EXIM_USER"
  fi
  links_ok "$bin" || die "$bin still misses libraries: $(ldd "$bin" | grep 'not found' | tr '\n' ' ')"
}

make_certificates() {
  local dir="$STATE/tls"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days "$CERT_DAYS" \
    -subj "/CN=smtpscope exim interop throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=localhost" 2>/dev/null
  printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
    'extendedKeyUsage=serverAuth' "subjectAltName=DNS:localhost,DNS:mx.exim.test,IP:$HOST" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days "$CERT_DAYS" -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  # Exim reads the key after dropping to its own user.
  chown "$EXIM_USER" "$dir/server.key" "$dir/server.pem"
  chmod 600 "$dir/ca.key" "$dir/server.key"
  chmod 644 "$dir/ca.pem" "$dir/server.pem"
}

write_config() {
  mkdir -p "$STATE/spool" "$STATE/log" "$STATE/mail"
  chmod 755 "$STATE"
  chown "$EXIM_USER:$EXIM_USER" "$STATE/spool" "$STATE/log"
  # Delivery runs as Exim's own user: with a private configuration (-C)
  # Exim gives up root before it delivers, so it could not switch users.
  chown "$EXIM_USER:$EXIM_USER" "$STATE/mail"
  sed -e "s|@STATE@|$STATE|g" -e "s|@HOST@|$HOST|g" -e "s|@DOMAIN@|$DOMAIN|g" \
    -e "s|@SMTP_PORT@|$SMTP_PORT|g" -e "s|@SMTPS_PORT@|$SMTPS_PORT|g" \
    -e "s|@EXIM@|$(exim_binary)|g" -e "s|@USER@|$SASL_USER|g" -e "s|@PASSWORD@|$SASL_PASSWORD|g" \
    -e "s|@MAIL_UID@|$(id -u "$EXIM_USER")|g" -e "s|@MAIL_GID@|$(id -g "$EXIM_USER")|g" \
    "$TEMPLATE_DIR/exim.conf.in" >"$STATE/exim.conf"
  chmod 644 "$STATE/exim.conf"
}

stop_daemon() {
  if exim_running; then
    kill "$(tr -d ' \n' <"$STATE/exim.pid")" 2>/dev/null || true
  fi
  wait_for exim_gone || log "Exim did not stop within ${WAIT_SECONDS}s; see $STATE"
}

cmd_start() {
  local started=$SECONDS
  if exim_running && all_ports_open; then
    log "already running (state in $STATE)"
    return
  fi
  install_exim
  stop_daemon
  for port in "$SMTP_PORT" "$SMTPS_PORT"; do
    if port_open "$port"; then
      die "$HOST:$port is taken by another program; stop it first (ss -ltnp 'sport = :$port')"
    fi
  done
  rm -rf "$STATE"
  mkdir -p "$STATE"
  make_certificates
  write_config
  local exim
  exim=$(exim_binary)
  "$exim" -C "$STATE/exim.conf" -bV >"$STATE/check.log" 2>&1 ||
    die "Exim refused the configuration: $(tail -n 3 "$STATE/check.log")"
  # -bd forks a daemon, which must not keep this script's stdout or stderr.
  "$exim" -C "$STATE/exim.conf" -bd >>"$STATE/daemon.log" 2>&1 ||
    die "Exim did not start; see $STATE/daemon.log and $STATE/log/paniclog"
  wait_for all_ports_open ||
    die "Exim did not listen on $HOST:$SMTP_PORT and :$SMTPS_PORT within ${WAIT_SECONDS}s; see $STATE/log"
  log "running $("$exim" -C "$STATE/exim.conf" -bV 2>/dev/null | sed -n 's/^Exim version \([^ ]*\).*/Exim \1/p') on $HOST:$SMTP_PORT (smtp), :$SMTPS_PORT (smtps) after $((SECONDS - started))s; state in $STATE"
}

cmd_stop() {
  stop_daemon
  rm -rf "$STATE"
  log "stopped; removed $STATE"
}

cmd_env() {
  [ -s "$STATE/tls/ca.pem" ] || die "not started: run '$0 start' first"
  cat <<END
export SMTPSCOPE_EXIM_ADDR=$HOST:$SMTP_PORT
export SMTPSCOPE_EXIM_SMTPS=$HOST:$SMTPS_PORT
export SMTPSCOPE_EXIM_CA=$STATE/tls/ca.pem
export SMTPSCOPE_EXIM_USER=$SASL_USER
export SMTPSCOPE_EXIM_PASSWORD=$SASL_PASSWORD
export SMTPSCOPE_EXIM_DOMAIN=$DOMAIN
export SMTPSCOPE_EXIM_MAILDIR=$STATE/mail/inbox
END
}

cmd_status() {
  if exim_running && all_ports_open; then
    log "running (state in $STATE)"
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
env) cmd_env ;;
status) cmd_status ;;
*)
  echo "usage: $0 start|stop|env|status" >&2
  exit 2
  ;;
esac
