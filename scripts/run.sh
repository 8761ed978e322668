#!/usr/bin/env bash
# The demo: installs what is missing (PostgreSQL, Prometheus), starts the project's own PostgreSQL
# with a fresh database `dora_demo`, and runs the demo executable (src/DoraCollector.Demo): the
# collector on http://127.0.0.1:8080, a simulated organisation played against it through its real
# ingestion paths, and a local Prometheus (port 9090, or a free one) scraping it with the shipped
# rules. Ctrl+C stops it. From the repository's root, so the demo's files go to .local/demo.
# Extra arguments go to the demo (--duration 5m, --seed 7, --speed 1, --help for all).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/deps.sh" postgresql prometheus
export DORA_PG_DATABASE=dora_demo
"$root/scripts/postgres.sh" fresh
ConnectionStrings__Dora="$("$root/scripts/postgres.sh" url)" \
  exec dotnet run --project src/DoraCollector.Demo -c Release -- "$@"
