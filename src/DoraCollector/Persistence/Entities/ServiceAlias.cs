namespace DoraCollector.Persistence.Entities;

/// <summary>How a source names a service: an Argo CD application, a Flux object, an alert label value.</summary>
internal sealed class ServiceAlias
{
    public string Kind { get; set; } = "";
    public string Value { get; set; } = "";
    public int ServiceId { get; set; }
}
