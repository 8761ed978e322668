.PHONY: run serve test build bench clean

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

# Measures snapshot compute and /metrics render on a synthetic year (docs/benchmarks.md).
bench:
	scripts/bench.sh

# Stops the project's PostgreSQL (its data stays under .local/).
clean:
	scripts/postgres.sh stop
