#!/usr/bin/env bash
# make demo: try kimbot with no Telegram account. Starts (or reuses) local
# PostgreSQL and Redis, the built-in Bot API emulator and `kimbot serve`
# against it, then lets you chat with the bot from this terminal as a
# resident. The service's logs go to /tmp/kimbot-demo.log.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/services.sh)"
go build -o bin/kimbot ./cmd/kimbot

base="${DATABASE_URL%%\?*}"
export DATABASE_URL="${base%/*}/kimbot_demo?sslmode=disable"
export TELEGRAM_TOKEN="123456:DEMO-TOKEN"
export TELEGRAM_API_URL="http://127.0.0.1:8081"
export HTTP_ADDR="127.0.0.1:8090"
export KIMBOT_REDIS_PREFIX="kimbot-demo:"
export KIMBOT_REGION_ROOT="${KIMBOT_REGION_ROOT:-35.73}"   # Kota Malang, so the menus stay short

bin/kimbot migrate >/dev/null
bin/kimbot regions import >/dev/null
# The terminal resident (user 1001) is also an operator of Kota Malang and a
# moderator of Tlogomas, so /siaran and /antrian can be tried too.
bin/kimbot operator add --telegram-id 1001 --region 35.73 >/dev/null 2>&1 || true
bin/kimbot moderator add --telegram-id 1001 --region 35.73.05.1003 >/dev/null 2>&1 || true

bin/kimbot serve >/tmp/kimbot-demo.log 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null || true' EXIT
echo "kimbot serve is running (logs: /tmp/kimbot-demo.log, metrics: http://$HTTP_ADDR/metrics)."
# The console's one-time sign-in link for the demo operator (10 minutes; type
# /masuk in the chat below for a new one).
echo "Web console: open this link in a browser to sign in as the demo operator:"
echo "  $(bin/kimbot web link --telegram-id 1001)"
echo "Type /start to begin, a number to press a button, Ctrl-D to quit."
bin/kimbot emulator --addr 127.0.0.1:8081 --chat --user-id 1001 --name Budi
