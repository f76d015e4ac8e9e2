# kimbot — see README.md. `make test` is the one test command (CI runs it).
.PHONY: test build run demo bench lint screenshots

test: ## vet, gofmt check, golangci-lint, all tests with the race detector (starts services if needed)
	bash scripts/test.sh

demo: ## chat with the bot from the terminal, no Telegram account needed
	bash scripts/demo.sh

run: build ## run the bot against real Telegram (needs TELEGRAM_TOKEN; see .env.example)
	@test -n "$$TELEGRAM_TOKEN" || { echo "set TELEGRAM_TOKEN (README: Getting a bot token) or try: make demo"; exit 2; }
	bin/kimbot migrate && bin/kimbot regions import $${KIMBOT_REGION_ROOT:+--root $$KIMBOT_REGION_ROOT} && bin/kimbot serve

build: ## the kimbot binary in bin/
	go build -o bin/kimbot ./cmd/kimbot

bench: ## the benchmarks reported in README.md (several minutes)
	bash scripts/bench.sh

lint: ## vet, gofmt check and golangci-lint (.golangci.yml; also part of make test)
	bash scripts/lint.sh

screenshots: ## refresh the console screenshots in docs/screenshots (the browser tests take them)
	mkdir -p docs/screenshots
	eval "$$(scripts/services.sh)" && KIMBOT_SCREENSHOTS=$(CURDIR)/docs/screenshots go test -count=1 -run 'ConsoleBrowser' ./bot/
