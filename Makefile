.PHONY: run serve test build bench load scale latency clean

# The demo: installs what is missing, starts the project's PostgreSQL, and plays a simulated
# organisation against the collector on :8080 with a local Prometheus; prints where to look.
run:
	scripts/run.sh $(ARGS)

# The service alone on :8080 against the project's PostgreSQL (database dora, kept across runs).
serve:
	scripts/serve.sh $(ARGS)

# Installs what the tests need and runs the whole suite.
test:
	scripts/test.sh

build:
	dotnet build DoraCollector.sln -c Release -warnaserror

# Measures snapshot compute and /metrics render on synthetic years of 500 and 5,000 services, the
# latter with full and incremental snapshots, a delivery's time to /metrics and peak RSS beside
# their goals (docs/benchmarks.md). ARGS="500" or ARGS="5000" runs one of them.
bench:
	scripts/bench.sh $(ARGS)

# Webhook ingest at 2,000/s and a first backfill, for a simulated 200-service organisation (docs/benchmarks.md).
load:
	scripts/load.sh

# Mapping and projection at scale: 60,000 generic deployments to metrics against PostgreSQL's COPY,
# and the backfill's mapping rate and total, each beside its goal and its storage floor (docs/benchmarks.md).
# ARGS="--baseline path/to/DoraCollector.dll" runs another build beside it; "--replicas 2" two collectors.
scale:
	scripts/load.sh scale $(ARGS)

# Ingest latency against the machine's limits: the collector's p99 at 2,000/s beside a commit probe's,
# and the highest rate it sustains beside a bare Kestrel endpoint's, each beside its goal (docs/benchmarks.md).
latency:
	scripts/load.sh latency $(ARGS)

# Stops the project's PostgreSQL (its data stays under .local/).
clean:
	scripts/postgres.sh stop
