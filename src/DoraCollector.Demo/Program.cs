namespace DoraCollector.Demo;

internal static class Program
{
    public static Task<int> Main(string[] args) => DemoCommand.RunAsync(args);
}
