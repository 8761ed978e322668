namespace DoraCollector.Hosting;

/// <summary><c>Dora:Scheduling</c>: background jobs on Quartz.NET's clustered job store.</summary>
internal sealed class SchedulingOptions
{
    public const string Section = "Dora:Scheduling";

    /// <summary>Off: no job runs in this process (tests; a replica that only serves).</summary>
    public bool Enabled { get; set; } = true;
}
