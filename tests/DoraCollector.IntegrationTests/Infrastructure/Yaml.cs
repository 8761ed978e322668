using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// YAML documents (manifests, rule files, compose files) as <see cref="JsonNode"/>s to walk in
/// assertions. Scalars stay strings, as YAML wrote them: <c>replicas: 2</c> reads as <c>"2"</c>.
/// </summary>
internal static class Yaml
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().Build();

    /// <summary>Every document of a <c>---</c>-separated stream; empty documents are left out.</summary>
    public static IReadOnlyList<JsonNode> ReadAll(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToNode(Reader.Deserialize<object?>(parser)) is { } node)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    public static JsonNode Read(string text) => ReadAll(text).Single();

    public static JsonNode ReadFile(params string[] parts) => Read(RepositoryFiles.Read(parts));

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, ToNode(p.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToNode).ToArray()),
        var scalar => JsonValue.Create(Convert.ToString(scalar, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
