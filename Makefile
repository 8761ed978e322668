.PHONY: run test build bench load clean

# Installs what is missing, starts the project's PostgreSQL and runs the service on :8080.
run:
	scripts/run.sh

# Installs what the tests need and runs the whole suite.
test:
	scripts/test.sh

build:
	dotnet build DoraCollector.sln -c Release -warnaserror

# Measures snapshot compute and /metrics render on a synthetic year (docs/benchmarks.md).
bench:
	scripts/bench.sh

# Webhook ingest at 2,000/s and a first backfill, for a simulated 200-service organisation (docs/benchmarks.md).
load:
	scripts/load.sh

# Stops the project's PostgreSQL (its data stays under .local/).
clean:
	scripts/postgres.sh stop
