namespace DoraCollector.Simulator;

/// <summary>The simulator's command line comes with the simulated organisation; for now the project holds the fakes.</summary>
internal static class Program
{
    public static int Main() => 0;
}
