#!/usr/bin/env bash
# Runs the collector (serve) on http://127.0.0.1:8080 against the project's own PostgreSQL, database
# `dora`, kept across runs. Extra arguments go to the collector (e.g. --Dora:GitHub:Token ..., or
# --urls http://0.0.0.0:8080 to be reachable from other machines).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/postgres.sh" start
export ConnectionStrings__Dora="${ConnectionStrings__Dora:-$("$root/scripts/postgres.sh" url)}"
exec dotnet run --project src/DoraCollector -c Release -- serve "$@"
