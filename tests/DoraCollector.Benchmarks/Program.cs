using DoraCollector.Benchmarks;

// The performance goals of docs/benchmarks.md, one verb each:
//   (none)    snapshot compute and /metrics render on a synthetic year (scripts/bench.sh)
var arguments = new Arguments(args);
return await SnapshotBenchmark.RunAsync(arguments, Console.Out);
