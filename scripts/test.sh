#!/usr/bin/env bash
# The one test command (make test): services, vet, format check, then every
# test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/services.sh)"
echo "== go vet"
go vet ./...
echo "== gofmt"
unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then echo "gofmt needed on: $unformatted"; exit 1; fi
echo "== go test -race"
go test -race -count=1 -timeout 8m ./...
