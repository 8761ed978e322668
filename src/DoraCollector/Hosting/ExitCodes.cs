namespace DoraCollector.Hosting;

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int InvalidConfiguration = 2;
    public const int Usage = 64;
}
