#!/usr/bin/env bash
# The linters (make lint, and make test after vet and gofmt): go vet, the
# gofmt check and golangci-lint with .golangci.yml. golangci-lint is
# installed from the Go module proxy at the pinned version when the one on
# PATH (or in $(go env GOPATH)/bin) is another or missing; building it
# takes a few minutes on two cores, once.
set -euo pipefail
cd "$(dirname "$0")/.."

GOLANGCI_LINT_VERSION=v2.15.0

golangci_lint() {
	local gobin bin
	gobin="$(go env GOBIN)"; [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
	for bin in "$(command -v golangci-lint || true)" "$gobin/golangci-lint"; do
		if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "version ${GOLANGCI_LINT_VERSION#v} "; then
			echo "$bin"; return
		fi
	done
	echo "== installing golangci-lint $GOLANGCI_LINT_VERSION (compiles from source, once)" >&2
	go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$GOLANGCI_LINT_VERSION" >&2
	echo "$gobin/golangci-lint"
}

echo "== go vet"
go vet ./...
echo "== gofmt"
unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then echo "gofmt needed on: $unformatted"; exit 1; fi
lint="$(golangci_lint)"
echo "== golangci-lint $GOLANGCI_LINT_VERSION"
"$lint" run ./...
