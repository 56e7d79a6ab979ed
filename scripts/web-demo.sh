#!/usr/bin/env bash
# Local demo of the website widget: starts `treue serve` on 127.0.0.1 with its native
# WebSocket listener, which also serves Web/ (the demo shop page with the widget).
#
#   scripts/web-demo.sh                 # then open http://127.0.0.1:8080/
#   WEB_PORT=9000 TREUE_PORT=4343 scripts/web-demo.sh
#   WEBSOCKIFY=1 scripts/web-demo.sh    # the alternative: websockify in front of the TCP port
#
# Environment: TREUE (binary, default .build/debug/treue, built when missing), TREUE_PORT
# (TCP, 4242), WEB_PORT (page and WebSocket, 8080), INTENTS (Intents), TRANSCRIPTS
# (Transcripts), WEBSOCKIFY (1: use websockify instead of the native listener). Extra
# arguments are passed to `treue serve`. Ctrl-C stops everything.
set -euo pipefail

cd "$(dirname "$0")/.."

TREUE=${TREUE:-.build/debug/treue}
TREUE_PORT=${TREUE_PORT:-4242}
WEB_PORT=${WEB_PORT:-8080}
INTENTS=${INTENTS:-Intents}
TRANSCRIPTS=${TRANSCRIPTS:-Transcripts}
WEBSOCKIFY=${WEBSOCKIFY:-}

if [ -n "$WEBSOCKIFY" ] && ! command -v websockify >/dev/null 2>&1; then
  echo "websockify is missing: installing the Debian package" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends websockify >/dev/null
fi
if [ ! -x "$TREUE" ]; then
  echo "building $TREUE" >&2
  swift build
fi

treue_pid=""
proxy_pid=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  [ -n "$treue_pid" ] && kill "$treue_pid" 2>/dev/null || true   # SIGTERM: goodbye + flush
  wait 2>/dev/null || true
  echo "stopped" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

native=(--websocket-port "$WEB_PORT" --web-root Web)
[ -n "$WEBSOCKIFY" ] && native=()

# The server prints "listening on HOST:PORT" once bound; wait for that line (at most
# 30 s) instead of probing the port, which would open an empty chat session.
ready=$(mktemp)
"$TREUE" serve --host 127.0.0.1 --port "$TREUE_PORT" --intents "$INTENTS" --transcripts "$TRANSCRIPTS" --orders "${ORDERS:-Customers/demo-orders.csv}" "${native[@]}" "$@" \
  > >(tee "$ready") &
treue_pid=$!
for _ in $(seq 1 300); do
  grep -q "^listening on" "$ready" 2>/dev/null && break
  kill -0 "$treue_pid" 2>/dev/null || { echo "treue serve exited" >&2; exit 1; }
  sleep 0.1
done
grep -q "^listening on" "$ready" || { echo "treue serve did not start within 30 s" >&2; exit 1; }
rm -f "$ready"

if [ -n "$WEBSOCKIFY" ]; then
  websockify --web Web "127.0.0.1:$WEB_PORT" "127.0.0.1:$TREUE_PORT" &
  proxy_pid=$!
  echo "Treue web demo: open http://127.0.0.1:$WEB_PORT/ (websockify ws://127.0.0.1:$WEB_PORT/ -> 127.0.0.1:$TREUE_PORT). Ctrl-C stops." >&2
  # Exit (and clean up) as soon as either process ends.
  wait -n "$treue_pid" "$proxy_pid"
else
  echo "Treue web demo: open http://127.0.0.1:$WEB_PORT/ (native WebSocket ws://127.0.0.1:$WEB_PORT/). Ctrl-C stops." >&2
  wait "$treue_pid"
fi
