#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests drive for real from Debian (PostgreSQL;
# Prometheus and promtool for /metrics and the alert rules; Alertmanager and amtool; Chromium
# for the report pages). kubectl with Kustomize 5 is not in Debian 12 (its kubernetes-client is
# 1.20): the README says how to get it, and the deployment tests say so when it is missing.
# The integration tests start their own throwaway PostgreSQL unless DORA_TEST_DB is set, and
# their own Prometheus and Alertmanager. The contract tests read the upstream contracts pinned in
# tests/contracts/package-lock.json (GitHub's schemas and examples, the Kubernetes, Argo CD, Flux,
# Prometheus Operator and Grafana models, and the tools that read them), installed with npm ci,
# and run them with Node.js (tests/contracts/check.mjs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# A test host can end before its exit handlers have removed its PostgreSQL; remove what is left
# of a stopped one (a running one, with its postmaster.pid, belongs to another run).
remove_stopped_clusters() {
  for dir in "${TMPDIR:-/tmp}"/dora-test-pg-* "${TMPDIR:-/tmp}"/dora-fault-pg-*; do
    if [ -d "$dir" ] && [ ! -e "$dir/data/postmaster.pid" ]; then
      rm -rf "$dir"
    fi
  done
}
trap remove_stopped_clusters EXIT

"$root/scripts/deps.sh" postgresql prometheus prometheus-alertmanager chromium
# npm installs the pinned upstream examples; Debian's npm (with its Node.js 18) does when none is there.
command -v npm >/dev/null 2>&1 || "$root/scripts/deps.sh" npm
npm ci --prefix "$root/tests/contracts" --no-audit --no-fund --prefer-offline --loglevel=error
dotnet build DoraCollector.sln -c Release -warnaserror
dotnet test DoraCollector.sln -c Release --no-build "$@"
