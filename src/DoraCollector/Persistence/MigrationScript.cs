using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DoraCollector.Persistence;

/// <summary>One forward-only file of <c>migrations/</c>, embedded in the executable.</summary>
internal sealed partial record MigrationScript(string Version, string Name, string Sql, string Checksum)
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>The embedded migrations in version order; a malformed or duplicate name fails loudly.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => FromResource(assembly, n))
            .ToList();
        return Order(scripts);
    }

    public static MigrationScript Create(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"migration file '{fileName}' is not named NNNN_verb_object.sql (four digits, lower-case words)");
        }

        return new MigrationScript(match.Groups["version"].Value, fileName, sql, ChecksumOf(sql));
    }

    public static IReadOnlyList<MigrationScript> Order(IEnumerable<MigrationScript> scripts)
    {
        var ordered = scripts.OrderBy(s => s.Version, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"migration version {duplicate.Key} is used by {string.Join(" and ", duplicate.Select(s => s.Name))}");
        }

        return ordered;
    }

    /// <summary>SHA-256 of the text with line endings normalised, so a Windows checkout hashes the same.</summary>
    public static string ChecksumOf(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    private static MigrationScript FromResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded migration {resource} cannot be read");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Create(resource[ResourcePrefix.Length..], reader.ReadToEnd());
    }

    [GeneratedRegex("^(?<version>[0-9]{4})_[a-z0-9_]+\\.sql$")]
    private static partial Regex FileNamePattern();
}
