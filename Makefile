# kimbot — see README.md. `make test` is the one test command (CI runs it).
.PHONY: test build run demo bench lint

test: ## vet, gofmt check, all tests with the race detector (starts services if needed)
	bash scripts/test.sh

build: ## the kimbot binary
	go build -o bin/kimbot ./cmd/kimbot
