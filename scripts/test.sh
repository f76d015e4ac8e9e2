#!/usr/bin/env bash
# The one test command (make test): services, the linters (vet, format
# check, golangci-lint: scripts/lint.sh), then every test with the race
# detector.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/services.sh)"
scripts/lint.sh
echo "== go test -race"
go test -race -count=1 -timeout 8m ./...
