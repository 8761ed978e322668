#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests drive for real from Debian (PostgreSQL;
# Prometheus and promtool for /metrics and the alert rules; Alertmanager and amtool; Chromium
# for the report pages). kubectl with Kustomize 5 is not in Debian 12 (its kubernetes-client is
# 1.20): the README says how to get it, and the deployment tests say so when it is missing.
# The integration tests start their own throwaway PostgreSQL unless DORA_TEST_DB is set, and
# their own Prometheus and Alertmanager.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/deps.sh" postgresql prometheus prometheus-alertmanager chromium
dotnet build DoraCollector.sln -c Release -warnaserror
dotnet test DoraCollector.sln -c Release --no-build "$@"
