#!/usr/bin/env bash
# The one test command (make test): services, the linters (vet, format
# check, golangci-lint: scripts/lint.sh), then every test with the race
# detector.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/services.sh)"
# The console's browser tests drive Debian's chromium.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${KIMBOT_CHROMIUM:-}" ]; then
	echo "== installing chromium (for the web console's browser tests)"
	sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
scripts/lint.sh
echo "== go test -race"
go test -race -count=1 -timeout 8m ./...
