#!/usr/bin/env bash
# postfix-interop.sh — run Postfix with Dovecot SASL on loopback for the
# smtpscope interop suite (session/interop_postfix_test.go).
#
#   scripts/postfix-interop.sh start   install what is missing, write a private
#                                      configuration, start both daemons
#   scripts/postfix-interop.sh env     print the exports the tests read
#   scripts/postfix-interop.sh stop    stop both daemons, remove all state
#   scripts/postfix-interop.sh status  say whether the instance is running
#
# Everything lives in one state directory ($SMTPSCOPE_POSTFIX_STATE, default
# /tmp/smtpscope-postfix): configuration rendered from testdata/postfix/*.in,
# a throwaway CA and server certificate, queue, maildir and logs. Nothing in
# /etc/postfix or /etc/dovecot is read or changed, and a system Postfix or
# Dovecot keeps running untouched. Listeners are on 127.0.0.1 only and no
# mail leaves the machine. Needs root (Postfix and Dovecot drop privileges
# to their own users) and Debian's postfix and dovecot-core packages, which
# start installs when missing. Never reads standard input.
set -euo pipefail
exec </dev/null

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_DIR
readonly TEMPLATE_DIR="$REPO_DIR/testdata/postfix"
readonly STATE="${SMTPSCOPE_POSTFIX_STATE:-/tmp/smtpscope-postfix}"

readonly HOST=127.0.0.1
readonly SMTP_PORT=10025       # plain SMTP, STARTTLS offered
readonly SUBMISSION_PORT=10587 # submission, STARTTLS required
readonly SMTPS_PORT=10465      # implicit TLS
readonly DOMAIN=interop.test   # delivered to $STATE/mail/inbox
readonly SASL_USER=demo@localhost
readonly SASL_PASSWORD=interop-demo-password # test-only, never a real secret
# Dovecot 2.3 on Debian 12 also has DIGEST-MD5, NTLM, OTP and others; these
# are the ones smtpscope implements and most servers offer.
readonly MECHANISMS="plain login cram-md5 scram-sha-1 scram-sha-256"
readonly WAIT_SECONDS=30
readonly CERT_DAYS=365 # longer than the 30 days under which probe warns of expiry

log() { printf 'postfix-interop: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

if [ -z "$STATE" ] || [ "$STATE" = / ]; then
  die "SMTPSCOPE_POSTFIX_STATE must name a directory of its own"
fi

# port_open PORT: true when something accepts TCP connections on HOST:PORT.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

# wait_for COMMAND...: retry COMMAND until it succeeds, for up to WAIT_SECONDS.
wait_for() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 0.2
  done
}

pid_alive() {
  [ -s "$1" ] && kill -0 "$(tr -d ' \n' <"$1")" 2>/dev/null
}
postfix_running() { pid_alive "$STATE/spool/pid/master.pid"; }
dovecot_running() { pid_alive "$STATE/dovecot/master.pid"; }
daemons_gone() { ! postfix_running && ! dovecot_running; }

install_packages() {
  if command -v postfix >/dev/null && command -v dovecot >/dev/null && command -v openssl >/dev/null; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "postfix and dovecot-core are not installed; run as root to install them"
  log "installing postfix, dovecot-core and openssl (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # Keep the packages' own services from starting: this script runs its own
  # instances. policy-rc.d is removed again when the install is done.
  local policy=/usr/sbin/policy-rc.d own_policy=''
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  local pkgs=(postfix dovecot-core openssl) ok='' apt_log
  apt_log=$(mktemp)
  if apt-get install -y -qq "${pkgs[@]}" >"$apt_log" 2>&1; then
    ok=1
  else
    log "install failed with the current package lists; running apt-get update"
    if apt-get update -qq >>"$apt_log" 2>&1 && apt-get install -y -qq "${pkgs[@]}" >>"$apt_log" 2>&1; then
      ok=1
    fi
  fi
  [ -n "$own_policy" ] && rm -f "$policy"
  if [ -z "$ok" ]; then
    tail -n 20 "$apt_log" >&2
    die "could not install ${pkgs[*]} (full log: $apt_log)"
  fi
  rm -f "$apt_log"
}

make_certificates() {
  local dir="$STATE/tls"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days "$CERT_DAYS" \
    -subj "/CN=smtpscope interop throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/server.key" -out "$dir/server.csr" \
    -subj "/CN=localhost" 2>/dev/null
  cat >"$dir/server.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:mx.$DOMAIN,IP:$HOST
EOF
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days "$CERT_DAYS" -extfile "$dir/server.ext" \
    -out "$dir/server.pem" 2>/dev/null
  chmod 600 "$dir/ca.key" "$dir/server.key"
  chmod 644 "$dir/ca.pem" "$dir/server.pem"
}

# render TEMPLATE OUTPUT: fill in the @NAME@ placeholders.
render() {
  sed -e "s|@STATE@|$STATE|g" -e "s|@HOST@|$HOST|g" -e "s|@DOMAIN@|$DOMAIN|g" \
    -e "s|@SMTP_PORT@|$SMTP_PORT|g" -e "s|@SUBMISSION_PORT@|$SUBMISSION_PORT|g" \
    -e "s|@SMTPS_PORT@|$SMTPS_PORT|g" -e "s|@MECHANISMS@|$MECHANISMS|g" \
    -e "s|@MAIL_UID@|$(id -u nobody)|g" -e "s|@MAIL_GID@|$(id -g nobody)|g" \
    "$TEMPLATE_DIR/$1" >"$2"
}

write_config() {
  mkdir -p "$STATE/postfix" "$STATE/spool" "$STATE/data" "$STATE/mail" \
    "$STATE/dovecot" "$STATE/dovecot-state"
  chmod 755 "$STATE"
  chown postfix "$STATE/data"
  chown nobody:"$(id -gn nobody)" "$STATE/mail"
  render main.cf.in "$STATE/postfix/main.cf"
  render master.cf.in "$STATE/postfix/master.cf"
  render dovecot.conf.in "$STATE/dovecot.conf"
  printf '%s:{PLAIN}%s\n' "$SASL_USER" "$SASL_PASSWORD" >"$STATE/dovecot-users"
  chown root:dovecot "$STATE/dovecot-users"
  chmod 640 "$STATE/dovecot-users"
  : >"$STATE/postfix.log"
}

stop_daemons() {
  if [ -f "$STATE/postfix/main.cf" ] && postfix_running; then
    postfix -c "$STATE/postfix" stop >/dev/null 2>&1 || true
  fi
  if dovecot_running; then
    kill "$(tr -d ' \n' <"$STATE/dovecot/master.pid")" 2>/dev/null || true
  fi
  wait_for daemons_gone ||
    log "a daemon did not stop within ${WAIT_SECONDS}s; see $STATE"
}

all_ports_open() {
  port_open "$SMTP_PORT" && port_open "$SUBMISSION_PORT" && port_open "$SMTPS_PORT"
}

cmd_start() {
  local started=$SECONDS
  if postfix_running && dovecot_running && all_ports_open; then
    log "already running (state in $STATE)"
    return
  fi
  install_packages
  stop_daemons
  for port in "$SMTP_PORT" "$SUBMISSION_PORT" "$SMTPS_PORT"; do
    if port_open "$port"; then
      die "$HOST:$port is taken by another program; stop it first (ss -ltnp 'sport = :$port')"
    fi
  done
  rm -rf "$STATE"
  mkdir -p "$STATE"
  make_certificates
  write_config

  # Daemons must not keep this script's stdout or stderr: a caller reading
  # them through a pipe would otherwise wait for the daemons to exit.
  dovecot -c "$STATE/dovecot.conf" >>"$STATE/dovecot.log" 2>&1 ||
    die "dovecot did not start; see $STATE/dovecot.log"
  wait_for test -S "$STATE/dovecot/auth-postfix" ||
    die "Dovecot's auth socket did not appear within ${WAIT_SECONDS}s; see $STATE/dovecot.log"

  postfix -c "$STATE/postfix" check >/dev/null 2>&1 || true # creates the queue directories
  postfix -c "$STATE/postfix" start >/dev/null 2>"$STATE/postfix.start.log" ||
    die "postfix did not start: $(cat "$STATE/postfix.start.log"); see $STATE/postfix.log"
  wait_for all_ports_open ||
    die "Postfix did not listen on $HOST:$SMTP_PORT, :$SUBMISSION_PORT and :$SMTPS_PORT within ${WAIT_SECONDS}s; see $STATE/postfix.log"
  log "running on $HOST:$SMTP_PORT (smtp), :$SUBMISSION_PORT (submission), :$SMTPS_PORT (smtps) after $((SECONDS - started))s; state in $STATE"
}

cmd_stop() {
  stop_daemons
  rm -rf "$STATE"
  log "stopped; removed $STATE"
}

cmd_env() {
  [ -s "$STATE/tls/ca.pem" ] || die "not started: run '$0 start' first"
  cat <<EOF
export SMTPSCOPE_POSTFIX_ADDR=$HOST:$SMTP_PORT
export SMTPSCOPE_POSTFIX_SUBMISSION=$HOST:$SUBMISSION_PORT
export SMTPSCOPE_POSTFIX_SMTPS=$HOST:$SMTPS_PORT
export SMTPSCOPE_POSTFIX_CA=$STATE/tls/ca.pem
export SMTPSCOPE_POSTFIX_USER=$SASL_USER
export SMTPSCOPE_POSTFIX_PASSWORD=$SASL_PASSWORD
export SMTPSCOPE_POSTFIX_DOMAIN=$DOMAIN
export SMTPSCOPE_POSTFIX_MAILDIR=$STATE/mail/inbox
EOF
}

cmd_status() {
  if postfix_running && dovecot_running && all_ports_open; then
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
