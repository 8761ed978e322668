#!/usr/bin/env bash
# Measures snapshot compute and /metrics render on a synthetic year for 500 services (the
# numbers in docs/benchmarks.md). Uses the project's own PostgreSQL, database dora_bench; the
# history is loaded once per day and kept. Pass --services N to change the size.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/deps.sh" postgresql wrk
DORA_PG_DATABASE=dora_bench "$root/scripts/postgres.sh" start
connection="$(DORA_PG_DATABASE=dora_bench "$root/scripts/postgres.sh" url);Command Timeout=0"
dotnet run -c Release --project tests/DoraCollector.Benchmarks -- --connection "$connection" --http "$@"
