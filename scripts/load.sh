#!/usr/bin/env bash
# The load benchmarks of docs/benchmarks.md, with a simulated organisation (200 services in 20
# teams, 90 days) against the collector as the image ships it (scripts/publish.sh) run as a
# process of its own:
#   ingest    every webhook delivery of its past, posted at 2,000 a second
#   backfill  a first install: the past no API keeps posted, then the backfill verb
#   scale     (not part of all) generic ingest of 60,000 deployments to metrics against PostgreSQL's
#             COPY of the same rows, and the backfill's mapping rate and total, each beside its goal
#             and beside its storage floor (the rows the run stored, COPY'd into the collector's schema)
#   latency   (not part of all) ingest p99 at 2,000/s against a commit probe's, and the highest rate
#             sustained against a bare Kestrel endpoint's, each beside its goal
# Uses the project's own PostgreSQL; the databases dora_load_ingest and dora_load_backfill are
# dropped and created again on every run. Prints Markdown tables.
# usage: scripts/load.sh [ingest|backfill|scale|latency|all] [--services N] [--teams N] [--days N] [--rate N] ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

what=${1:-all}
[ $# -gt 0 ] && shift
case "$what" in
  ingest|backfill|scale|latency) verbs=("$what") ;;
  all) verbs=(ingest backfill) ;;
  *) echo "usage: $0 [ingest|backfill|scale|latency|all] [options]" >&2; exit 64 ;;
esac

"$root/scripts/deps.sh" postgresql
"$root/scripts/postgres.sh" start
server=$("$root/scripts/postgres.sh" url)
dotnet build DoraCollector.sln -c Release -warnaserror -nologo -v quiet
collector=$("$root/scripts/publish.sh")
for verb in "${verbs[@]}"; do
  echo
  dotnet tests/DoraCollector.Benchmarks/bin/Release/net10.0/DoraCollector.Benchmarks.dll "$verb" \
    --server "$server" --collector "$collector" --out "$root/.local/load" "$@"
done
