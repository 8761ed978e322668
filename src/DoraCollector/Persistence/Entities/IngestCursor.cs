namespace DoraCollector.Persistence.Entities;

/// <summary>How far a source has ingested one scope (a repository, an Argo CD server).</summary>
internal sealed class IngestCursor
{
    public string Source { get; set; } = "";
    public string Scope { get; set; } = "";
    public string? Position { get; set; }
    public string? Etag { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
}
