using DoraCollector.Benchmarks;
using DoraCollector.Benchmarks.Load;

// The performance goals of docs/benchmarks.md, one verb each:
//   (none)    snapshot compute and /metrics render on a synthetic year (scripts/bench.sh)
//   ingest    webhook ingest of a simulated organisation's deliveries (scripts/load.sh)
//   backfill  first backfill of a simulated organisation's history (scripts/load.sh)
//   scale     generic ingest to metrics against COPY, backfill mapping rate and total (scripts/load.sh)
//   latency   ingest p99 against a commit probe, highest sustained rate against a bare endpoint (scripts/load.sh)
//   publish   /metrics size per publishing profile at 500 and 5,000 services (scripts/bench.sh)
var arguments = new Arguments(args);
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(arguments, Console.Out),
    "backfill" => await BackfillBenchmark.RunAsync(arguments, Console.Out),
    "scale" => await ScaleBenchmark.RunAsync(arguments, Console.Out),
    "latency" => await LatencyBenchmark.RunAsync(arguments, Console.Out),
    "publish" => await PublishBenchmark.RunAsync(arguments, Console.Out),
    _ => await SnapshotBenchmark.RunAsync(arguments, Console.Out),
};
