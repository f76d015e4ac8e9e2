#!/usr/bin/env bash
# make bench: the benchmarks whose figures README.md reports.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/services.sh)"
run() { echo "== $*"; go test -run '^$' "$@" 2>&1 | grep -E '^(Benchmark|ok|FAIL|---)'; }
run ./region -bench Import -benchtime 3x
run ./region -bench SearchVillages -benchtime 1200x
run ./bot -bench BenchmarkUpdates -benchtime 3000x
run ./bot -bench FileThroughEmulator -benchtime 1000x
run ./aspirations -bench Queue100k -benchtime 300x
run ./console -bench 'Home1M|RunReport1M' -benchtime 300x
run ./aspirations -bench BenchmarkFile -benchtime 3s
run ./broadcast -bench 'Materialize1M|DeliveryRate1000|DeliveryUnlimited|DeliveryTwoReplicas' -benchtime 1x -timeout 20m
KIMBOT_BENCH_DELIVERIES=10000 run ./broadcast -bench 'DeliveryRate30$' -benchtime 1x -timeout 30m
