#!/usr/bin/env bash
# Runs the collector (serve) on http://localhost:8080 against the project's own PostgreSQL,
# database `dora`, kept across runs. Extra arguments go to the collector (e.g. --Dora:GitHub:Token ...).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/postgres.sh" start
export ConnectionStrings__Dora="${ConnectionStrings__Dora:-$("$root/scripts/postgres.sh" url)}"
exec dotnet run --project src/DoraCollector -c Release -- serve "$@"
