#!/usr/bin/env bash
# tui-smoke.sh drives the real smtpscope binary in tmux against its built-in
# sandbox, the way a person would: EHLO, STARTTLS, AUTH with the demo
# credentials, a message sent, an out-of-sequence RCPT warned about, a
# resize to 80x24, a second run in the light theme, the hands-on paths of
# issue 10, and smtpscope learn through lessons 1, 3 and 7 typed as a
# learner would (progress kept between runs, a lesson that restarts the
# sandbox with another size limit). It asserts on what
# `tmux capture-pane` shows and exits non-zero on the first failure.
#
# Usage: scripts/tui-smoke.sh            (needs go and tmux)
#        SMOKE_KEEP=1 scripts/tui-smoke.sh   keep the captures in $SMOKE_DIR
set -euo pipefail
cd "$(dirname "$0")/.."

command -v tmux >/dev/null || { echo "tui-smoke: tmux is not installed (apt-get install tmux)" >&2; exit 2; }

WAIT_SECONDS=${WAIT_SECONDS:-15}   # longest wait for any one screen
work=$(mktemp -d)
SMOKE_DIR=${SMOKE_DIR:-$work}
bin="$work/smtpscope"
sock="smtpscope-smoke-$$"
sess="smoke"
tm() { tmux -L "$sock" "$@"; }

cleanup() {
  tm kill-server 2>/dev/null || true
  if [ -z "${SMOKE_KEEP:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

step() { printf 'tui-smoke: %s\n' "$*"; }

capture() { tm capture-pane -p -t "$sess" -J; }

fail() {
  echo "tui-smoke: FAIL: $*" >&2
  echo "--- screen ---" >&2
  capture >&2 || true
  exit 1
}

# wait_for TEXT: polls the screen until TEXT appears, bounded.
wait_for() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  while [ $SECONDS -lt $deadline ]; do
    if capture | grep -qF -- "$1"; then return 0; fi
    sleep 0.2
  done
  fail "waited ${WAIT_SECONDS}s for: $1"
}

# absent TEXT: the screen must not show TEXT.
absent() {
  if capture | grep -qF -- "$1"; then fail "the screen shows what it must not: $1"; fi
}

# keys sends tmux key names; type sends literal text. A short pause after
# each lets the program take the keys the way typing would.
keys() { tm send-keys -t "$sess" "$@"; sleep 0.3; }
type_text() { tm send-keys -t "$sess" -l -- "$1"; sleep 0.3; }

# check_size W H: the screen is exactly W columns by H rows, every row.
check_size() {
  local w=$1 h=$2 rows widest
  rows=$(tm capture-pane -p -t "$sess" | wc -l)
  [ "$rows" -eq "$h" ] || fail "screen has $rows rows, want $h"
  # wc -L measures display columns in a UTF-8 locale (the lock is 2 wide).
  widest=$(tm capture-pane -p -t "$sess" | LC_ALL=C.UTF-8 wc -L)
  [ "$widest" -le "$w" ] || fail "a row is $widest columns wide, more than $w"
}

save() { capture > "$SMOKE_DIR/$1.txt"; }

step "building"
go build -o "$bin" .

# launch W H COMMAND runs a command line in a new tmux server (a new
# socket each time: a server being killed can still be exiting when the
# next one would start on the same socket), printing its exit status.
runs=0
launch() {
  tm kill-server 2>/dev/null || true
  runs=$((runs + 1))
  sock="smtpscope-smoke-$$-$runs"
  tm new-session -d -s "$sess" -x "$1" -y "$2" \
    "TERM=xterm-256color $3; echo smtpscope-exit-\$?; sleep 30"
}

# start W H THEME [FLAGS…] runs smtpscope on the sandbox.
start() {
  local w=$1 h=$2 theme=$3
  shift 3
  launch "$w" "$h" "$bin --theme $theme $*"
}

step "starting on the sandbox at 120x40 (dark theme)"
start 120 40 dark
wait_for "SANDBOX"
wait_for "S: 220 sandbox.test"
wait_for "state: GREETED"
check_size 120 40

step "EHLO"
type_text "EHLO client.example"
keys Enter
wait_for "250 STARTTLS"
wait_for "state: READY"

step "STARTTLS"
keys C-t
wait_for "TLS 1.3 ✓ verified"
wait_for "AUTH PLAIN"
save after-starttls

step "AUTH with the demo credentials (dialog: username prefilled, focus on the password)"
keys C-a
wait_for "AUTH: log in"
wait_for "Username  demo"
wait_for "Demo logins on this sandbox"   # the scenario's logins, as a hint
type_text "demo-password"
wait_for "Password  •••••••••••••"     # typed masked: one mark a character
absent "Password  demo-password"
keys Enter
wait_for "AUTH ✓"
wait_for "235 2.7.0"
absent "demo-password"
save after-auth

step "an out-of-sequence RCPT is warned about, not sent"
type_text "RCPT TO:<friend@sandbox.test>"
keys Enter
wait_for "server will likely answer 503"
absent "C: RCPT TO:<friend@sandbox.test>"
save sequence-warning
keys Escape
keys C-u

step "a message through the send form"
keys C-n
wait_for "Send a message"
type_text "demo@sandbox.test"
keys Tab
type_text "friend@sandbox.test"
keys Tab
type_text "hello from the smoke test"
keys Tab
keys Tab
type_text "Hi, this is smtpscope."
keys C-d
wait_for "Message accepted"
save after-message

step "resize to 80x24"
tm resize-window -t "$sess" -x 80 -y 24
sleep 0.5
wait_for "smtp>"
wait_for "AUTH ✓ · READY"
check_size 80 24
save resized-80x24

step "quit"
keys C-q
wait_for "smtpscope-exit-0"

step "light theme at 80x24"
start 80 24 light
wait_for "state: GREETED"
check_size 80 24
type_text "EHLO client.example"
keys Enter
wait_for "READY"
wait_for "250 STARTTLS"
save light-80x24
keys C-q
wait_for "smtpscope-exit-0"

# paste TEXT: a bracketed paste, as a terminal sends it: tmux turns each
# line end into CR (what many terminals send), which smtpscope must split.
paste() { tm set-buffer -- "$1"; tm paste-buffer -p -t "$sess"; sleep 0.5; }

step "hands-on: a paste of three commands whose lines end in CR"
start 120 40 dark
wait_for "state: GREETED"
paste $'EHLO paste.example\nNOOP\nVRFY alice\n'
wait_for "C: EHLO paste.example"
wait_for "C: NOOP"
wait_for "C: VRFY alice"
wait_for "252 2."
absent "␍"
save paste-cr

step "hands-on: the seed's AUTH LOGIN exchange typed by hand, one enter per answer"
keys C-t
wait_for "TLS 1.3 ✓ verified"
type_text "AUTH LOGIN"
keys Enter
wait_for '334 asks "Username:"'
type_text "ZGVtbw=="
keys Enter
wait_for '334 asks "Password:"'
type_text "ZGVtby1wYXNzd29yZA=="
absent "ZGVtby1wYXNzd29yZA=="
keys Enter
wait_for "235 2.7.0"
absent "ZGVtby1wYXNzd29yZA=="
absent "is not an SMTP command"
save auth-login-by-hand

step "hands-on: a message typed in DATA and ended by a line holding a single dot"
type_text "MAIL FROM:<demo@sandbox.test>"
keys Enter
wait_for "250 2.1.0"
type_text "RCPT TO:<friend@sandbox.test>"
keys Enter
wait_for "250 2.1.5"
type_text "DATA"
keys Enter
wait_for "DATA: the message"
type_text "Hello by hand"
keys Enter
type_text "."
keys Enter
wait_for "Message accepted"
absent "C: .."
save data-by-hand

step "hands-on: an attachment sent with the form arrives intact in the sandbox's mailbox view"
attachment="$work/report.bin"
head -c 3000 /dev/urandom > "$attachment"
digest=$(sha256sum "$attachment" | cut -c1-16)
keys C-n
wait_for "Send a message"
# From and To come prefilled from the message just sent: the focus is on Subject.
wait_for "› Subject"
type_text "with an attachment"
keys Enter
type_text "$attachment"
keys Enter
type_text "See the attached file."
keys C-d
wait_for "accepted as #2"
keys M-m
wait_for "Sandbox mailbox · 2 messages"
keys Enter
wait_for "report.bin"
wait_for "sha256 $digest"
save mailbox-attachment
keys Escape
keys Escape
absent "Sandbox mailbox"
keys C-q
wait_for "smtpscope-exit-0"

step "hands-on: AUTH in clear text to a (pretend) remote server asks first"
# The qq scenario lists AUTH before STARTTLS, as QQ does: the default
# sandbox lists it only inside TLS, where ctrl+a says to upgrade first.
start 120 40 dark --treat-loopback-as-remote --scenario qq
wait_for "state: GREETED"
type_text "EHLO client.example"
keys Enter
wait_for "state: READY"
type_text "AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA=="
keys Enter
wait_for "in clear text"
absent "C: AUTH PLAIN"
save cleartext-auth-warning
keys Escape
keys C-u
keys C-a
wait_for "Log in anyway?"
keys n
absent "Log in anyway?"
keys C-q
wait_for "smtpscope-exit-0"

step "hands-on: ctrl+a where the server lists AUTH only inside TLS says to upgrade first"
start 120 40 dark
wait_for "state: GREETED"
type_text "EHLO client.example"
keys Enter
wait_for "state: READY"
keys C-a
wait_for "ctrl+t first, then ctrl+a"
absent "AUTH: log in"
absent "AUTH …"
keys C-q
wait_for "smtpscope-exit-0"

step "hands-on: a plain connection to an implicit-TLS port is explained, and one key reconnects with TLS"
"$bin" sandbox --listen 127.0.0.1:0 --tls-listen 127.0.0.1:0 --ca-file "$work/tls-ca.pem" > "$work/tls-sandbox.out" 2>&1 &
tls_sandbox_pid=$!
for _ in $(seq 50); do grep -q "implicit TLS" "$work/tls-sandbox.out" && break; sleep 0.1; done
tls_port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\) (implicit TLS.*/\1/p' "$work/tls-sandbox.out" | head -1)
[ -n "$tls_port" ] || fail "the sandbox did not say where it listens with TLS: $(cat "$work/tls-sandbox.out")"
start 120 40 dark connect "127.0.0.1:$tls_port" --ca "$work/tls-ca.pem" --sni sandbox.test --manual
wait_for "no greeting after"
wait_for "alt+t reconnects with TLS"
save implicit-tls-hint
keys M-t
wait_for "S: 220 sandbox.test"
wait_for "TLS 1.3 ✓"
keys C-q
wait_for "smtpscope-exit-0"
kill $tls_sandbox_pid 2>/dev/null || true

step "doctor: alt+g diagnoses the session's server (a Microsoft tenant with SMTP AUTH off) with a verdict"
start 120 40 dark --scenario microsoft-tenant
wait_for "S: 220 sandbox.test Microsoft ESMTP"
keys M-g
wait_for "doctor verdict (auth)"
wait_for "SMTP AUTH is disabled"
absent "demo-password"
save doctor
keys C-q
wait_for "smtpscope-exit-0"

step "proxy: an application (swaks) seen live through smtpscope proxy"
if command -v swaks >/dev/null; then
  "$bin" sandbox --listen 127.0.0.1:0 --ca-file "$work/sandbox-ca.pem" > "$work/sandbox.out" 2>&1 &
  sandbox_pid=$!
  trap 'kill $sandbox_pid 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 50); do grep -q "listening on" "$work/sandbox.out" && break; sleep 0.1; done
  upstream=$(sed -n 's/^listening on \([0-9.:]*\).*/\1/p' "$work/sandbox.out" | head -1)
  [ -n "$upstream" ] || fail "the sandbox did not say where it listens: $(cat "$work/sandbox.out")"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 25250)
  runs=$((runs + 1)); sock="smtpscope-smoke-$$-$runs"
  tm new-session -d -s "$sess" -x 140 -y 40 \
    "TERM=xterm-256color $bin proxy --upstream $upstream --ca $work/sandbox-ca.pem --listen 127.0.0.1:$port --ca-out $work/proxy-ca.pem --theme dark; echo smtpscope-exit-\$?; sleep 30"
  wait_for "PROXY"
  wait_for "No connection yet"
  swaks --server "127.0.0.1:$port" --tls --tls-verify --tls-ca-path "$work/proxy-ca.pem" \
    --auth LOGIN --auth-user demo --auth-password demo-password \
    --from demo@sandbox.test --to friend@sandbox.test > "$work/swaks.out" 2>&1 \
    || fail "swaks through the proxy failed: $(tail -5 "$work/swaks.out")"
  wait_for "#1 127.0.0.1"
  wait_for "235 2.7.0"
  wait_for "Message accepted"
  wait_for "TLS terminated on both legs"
  absent "demo-password"
  absent "ZGVtby1wYXNzd29yZA=="
  save proxy-swaks
  keys C-q
  wait_for "smtpscope-exit-0"
  kill $sandbox_pid 2>/dev/null || true
else
  step "(swaks is not installed: the proxy step is skipped)"
fi

# start_learn W H [FLAGS…] runs smtpscope learn in a new tmux server, its
# progress kept in the run's own state directory.
state="$work/state"
start_learn() {
  local w=$1 h=$2
  shift 2
  launch "$w" "$h" "XDG_STATE_HOME=$state $bin learn --theme dark $*"
}

step "learn: lesson 1, HELO then EHLO, typed"
start_learn 120 40 --reset
wait_for "Lesson 1 of 11"
wait_for "state: GREETED"
check_size 120 40
type_text "HELO laptop.example"
keys Enter
type_text "EHLO laptop.example"
keys Enter
wait_for "Goal reached"
wait_for "lesson 1: goal reached"
save learn-lesson-1

step "learn: on to lesson 3 (alt+. twice), a first message by hand"
keys M-.
wait_for "Lesson 2 of 11"
keys M-.
wait_for "Lesson 3 of 11"
wait_for "state: GREETED"
keys M-h
wait_for "Hint 1 of 3"
type_text "EHLO laptop.example"
keys Enter
wait_for "state: READY"
type_text "MAIL FROM:<demo@sandbox.test>"
keys Enter
wait_for "250 2.1.0"
type_text "RCPT TO:<friend@sandbox.test>"
keys Enter
wait_for "250 2.1.5"
type_text "DATA"
keys Enter
wait_for "DATA: the message"
type_text "Hello from lesson 3"
keys Enter
type_text "."
keys Enter
wait_for "Message accepted"
absent "Goal reached"
type_text "QUIT"
keys Enter
wait_for "lesson 3: goal reached"
wait_for "Goal reached"
save learn-lesson-3

step "learn: lesson 7 picked from the list, AUTH LOGIN answered by hand"
keys M-l
wait_for "Pipelining"
keys Down Down Down Down
keys Enter
wait_for "Lesson 7 of 11"
wait_for "state: GREETED"
type_text "EHLO laptop.example"
keys Enter
wait_for "state: READY"
type_text "STARTTLS"
keys Enter
wait_for "TLS 1.3 ✓ verified"
type_text "AUTH LOGIN"
keys Enter
wait_for '334 asks "Username:"'
type_text "ZGVtbw=="
keys Enter
wait_for '334 asks "Password:"'
type_text "ZGVtby1wYXNzd29yZA=="
keys Enter
wait_for "235 2.7.0"
wait_for "lesson 7: goal reached"
absent "ZGVtby1wYXNzd29yZA=="
save learn-lesson-7
keys C-q
wait_for "smtpscope-exit-0"

step "learn: progress kept, no secret in it; the next run resumes at 80x24"
progress="$state/smtpscope/learn.json"
[ -f "$progress" ] || fail "no progress file at $progress"
for id in greeting first-message auth-login; do
  grep -q "\"$id\"" "$progress" || fail "progress does not record $id: $(cat "$progress")"
done
if grep -qE 'demo|ZGVt|AUTH' "$progress"; then fail "progress holds session data: $(cat "$progress")"; fi
start_learn 80 24
wait_for "Lesson 7 of 11"
check_size 80 24
keys M-,
keys M-,
keys M-,
wait_for "Lesson 4 of 11"
wait_for "restarting it for lesson 4"
type_text "EHLO laptop.example"
keys Enter
wait_for "state: READY"
# The size limit of lesson 4 (1000 octets) is the sandbox's now: a larger
# SIZE= is refused (smtpscope warns first; enter again sends it).
type_text "MAIL FROM:<demo@sandbox.test> SIZE=5000"
keys Enter
keys Enter
wait_for "552 5.3.4"
check_size 80 24
save learn-80x24
keys C-q
wait_for "smtpscope-exit-0"

step "ok: all screens as expected"
