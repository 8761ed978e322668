#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests drive for real (PostgreSQL; Prometheus
# and promtool for /metrics and the alert rules; kubectl for its built-in Kustomize); the
# integration tests start their own throwaway PostgreSQL unless DORA_TEST_DB is set, and
# their own Prometheus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/deps.sh" postgresql prometheus prometheus-alertmanager chromium
dotnet build DoraCollector.sln -c Release -warnaserror
dotnet test DoraCollector.sln -c Release --no-build "$@"
