using System.IO.Compression;

namespace DoraCollector.Exposition;

/// <summary>
/// One gzip member. Members concatenate into a valid gzip stream (RFC 1952 §2.2), which is what
/// lets a scrape send the cached, compressed DORA part followed by a freshly compressed tail.
/// </summary>
internal static class GzipMember
{
    public static byte[] Compress(ReadOnlySpan<byte> data, CompressionLevel level)
    {
        using var output = new MemoryStream(Math.Max(64, data.Length / 4));
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
