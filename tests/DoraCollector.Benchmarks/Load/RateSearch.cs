using System.Globalization;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The highest rate an endpoint sustains: each step sends open-loop at one rate for a few seconds;
/// a step passes when nothing is lost and the acknowledgement p99 (from when each delivery was due,
/// so a receiver or sender falling behind shows) is under the limit. From a first rate the rate
/// doubles while steps pass, then the bracket between the last pass and the first failure is
/// bisected a few times. A step that fails is tried again <c>retries</c> times before its rate counts
/// as not sustained: on a shared machine a second in which the sender, the receiver or the disk
/// waits for a core would otherwise decide the whole search.
/// </summary>
internal sealed class RateSearch(double stepSeconds, double limit, int bisections, double maxRate, int retries)
{
    public double Limit => limit;

    public int CountAt(double rate) => (int)Math.Ceiling(rate * stepSeconds);

    public Step Judge(double rate, SendResults results, int lost)
    {
        var latencies = new Percentiles(Enumerable.Range(0, results.Count).Select(results.Latency));
        return new Step(rate, results.Count, results.Count / results.Seconds, latencies.At(0.99), lost, lost == 0 && latencies.At(0.99) < limit);
    }

    /// <summary>
    /// Runs the search; <paramref name="step"/> answers null when it cannot run a step (out of
    /// deliveries), which ends the search with what it has. <paramref name="first"/> is a step
    /// already measured at <paramref name="start"/>.
    /// </summary>
    public async Task<Outcome> RunAsync(string name, double start, Step? first, Func<double, Task<Step?>> step, TextWriter output)
    {
        var steps = new List<Step>();
        double passed = 0, failed = double.PositiveInfinity;
        string? stopped = null;

        async Task<bool> TryAsync(double rate, Step? known)
        {
            Step? result = null;
            for (var attempt = 0; attempt <= retries && result is not { Passed: true }; attempt++)
            {
                result = attempt == 0 && known is not null ? known : await step(rate);
                if (result is null)
                {
                    stopped = Invariant($"out of deliveries at {rate:N0}/s");
                    return false;
                }

                steps.Add(result);
                output.WriteLine(Invariant($"latency: {name} {result.Rate:N0}/s: {result.Count:N0} sent, {result.Achieved:N0}/s answered, p99 {result.P99:0.0} ms, {result.Lost} lost: {(result.Passed ? "sustained" : "not sustained")}"));
            }

            if (result!.Passed)
            {
                passed = Math.Max(passed, rate);
            }
            else
            {
                failed = Math.Min(failed, rate);
            }

            return true;
        }

        for (var rate = start; rate <= maxRate && stopped is null; rate *= 2)
        {
            if (!await TryAsync(rate, rate == start ? first : null) || !steps[^1].Passed)
            {
                break;
            }
        }

        for (var i = 0; i < bisections && stopped is null && !double.IsPositiveInfinity(failed); i++)
        {
            var rate = Math.Round((passed + failed) / 2 / 50) * 50;
            if (rate <= passed || rate >= failed || !await TryAsync(rate, null))
            {
                break;
            }
        }

        return new Outcome(passed, failed, steps, stopped);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public sealed record Step(double Rate, int Count, double Achieved, double P99, int Lost, bool Passed);

    /// <summary>The highest rate sustained (0: none), the lowest not sustained (infinity: none), every step, why it stopped early.</summary>
    public sealed record Outcome(double Highest, double LowestFailed, IReadOnlyList<Step> Steps, string? Stopped)
    {
        public string Describe() =>
            Invariant($"{Highest:N0}/s") +
            (double.IsPositiveInfinity(LowestFailed) ? " (every rate tried sustained" : Invariant($" (not {LowestFailed:N0}/s")) +
            (Stopped is null ? ")" : $"; {Stopped})");
    }
}
