#!/usr/bin/env bash
# Measures snapshot compute and /metrics render on synthetic years (the numbers in docs/benchmarks.md):
#   500    500 services in 50 teams, database dora_bench, with HTTP scrapes by wrk
#   5000   5,000 services in 200 teams (2.5 M deployments, 20 M commits), database dora_bench_5000:
#          full and incremental snapshots, and the collector as a process of its own on it (first
#          snapshot, a delivery's time to /metrics, peak RSS), each beside its goal (issue 20, goal 2)
#   all    both (the default)
# Each history is loaded with COPY once and kept (its fingerprint is in collector_state): later
# runs measure at the instant it ends. Loading the 500-service year takes about 2 minutes, the
# 5,000-service year about 20 minutes and 12 GB of disk. Other arguments go to the benchmark
# (e.g. `scripts/bench.sh publish` for the /metrics size per publishing profile).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

what=${1:-all}
case "$what" in
  500|5000|all) [ $# -gt 0 ] && shift; sizes=(); [ "$what" != 5000 ] && sizes+=(500); [ "$what" != 500 ] && sizes+=(5000) ;;
  *) sizes=(custom) ;;
esac

"$root/scripts/deps.sh" postgresql wrk
dotnet build tests/DoraCollector.Benchmarks -c Release -warnaserror -nologo -v quiet
bench=(dotnet tests/DoraCollector.Benchmarks/bin/Release/net10.0/DoraCollector.Benchmarks.dll)
for size in "${sizes[@]}"; do
  case "$size" in
    500) database=dora_bench; options=(--http) ;;
    5000)
      # The collector as a process of its own, as the image ships it.
      collector=$("$root/scripts/publish.sh")
      database=dora_bench_5000; options=(--services 5000 --teams 200 --collector "$collector") ;;
    custom) database=dora_bench; options=(--http) ;;
  esac
  DORA_PG_DATABASE=$database "$root/scripts/postgres.sh" start
  connection="$(DORA_PG_DATABASE=$database "$root/scripts/postgres.sh" url);Command Timeout=0"
  echo
  "${bench[@]}" "$@" --connection "$connection" "${options[@]}"
done
