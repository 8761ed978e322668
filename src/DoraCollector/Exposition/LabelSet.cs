using System.Text;

namespace DoraCollector.Exposition;

/// <summary>
/// Labels that many samples share (a series' scope, service, team, environment and window),
/// validated and escaped once and copied as bytes into every sample that carries them.
/// </summary>
internal sealed class LabelSet
{
    private LabelSet(string[] names, byte[] utf8)
    {
        Names = names;
        Utf8 = utf8;
    }

    public static LabelSet Empty { get; } = new([], []);

    /// <summary>The label names, in order, to reject a sample that repeats one.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary><c>a="x",b="y"</c>, without braces.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    public static LabelSet Create(params ReadOnlySpan<Label> labels)
    {
        if (labels.IsEmpty)
        {
            return Empty;
        }

        var names = new string[labels.Length];
        var size = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            PrometheusSyntax.ValidateLabelName(labels[i].Name);
            if (names.AsSpan(0, i).Contains(labels[i].Name))
            {
                throw new ArgumentException($"Label '{labels[i].Name}' appears twice.", nameof(labels));
            }

            names[i] = labels[i].Name;
            size += labels[i].Name.Length + 4 + PrometheusSyntax.MaxEscapedLength(labels[i].Value);
        }

        var buffer = new byte[size];
        var written = 0;
        foreach (var label in labels)
        {
            if (written > 0)
            {
                buffer[written++] = (byte)',';
            }

            written += Encoding.ASCII.GetBytes(label.Name, buffer.AsSpan(written));
            buffer[written++] = (byte)'=';
            buffer[written++] = (byte)'"';
            written += PrometheusSyntax.EscapeLabelValue(label.Value, buffer.AsSpan(written));
            buffer[written++] = (byte)'"';
        }

        return new LabelSet(names, buffer[..written]);
    }
}
