using System.Text;

namespace DoraCollector.Exposition;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4 into a UTF-8 buffer: families with
/// <c># HELP</c> and <c># TYPE</c>, then their samples. It enforces what a scraper relies on:
/// valid names, escaped values, each family once and contiguous, no series twice. Output order
/// is the order of the calls, so callers that want stable output write in a stable order.
/// </summary>
/// <remarks>
/// Rendering a whole snapshot means tens of thousands of samples, so a sample allocates
/// nothing: labels arrive as a span (a <c>params</c> span lives on the stack), shared labels
/// as a pre-encoded <see cref="LabelSet"/>, and the duplicate check remembers where each
/// series' labels sit in the buffer instead of copying them.
/// </remarks>
internal sealed class PrometheusTextWriter
{
#if DEBUG
    public const bool ThrowOnDuplicateByDefault = true;
#else
    public const bool ThrowOnDuplicateByDefault = false;
#endif

    private readonly HashSet<string> _families = new(StringComparer.Ordinal);
    private readonly HashSet<Written> _seriesOfFamily;
    private readonly bool _throwOnDuplicate;
    private byte[] _buffer;
    private int _length;
    private string? _family;
    private MetricType _type;
    private string _help = "";
    private bool _headerWritten;

    /// <param name="initialCapacity">Bytes to start with; the buffer doubles when full.</param>
    /// <param name="throwOnDuplicate">
    /// Throw when a series is written twice in a family (debug builds and tests, to find the bug);
    /// otherwise drop the second sample and count it in <see cref="DroppedDuplicates"/>, so one bad
    /// series never costs operators the whole exposition.
    /// </param>
    public PrometheusTextWriter(int initialCapacity = 4096, bool throwOnDuplicate = ThrowOnDuplicateByDefault)
    {
        _buffer = new byte[Math.Max(initialCapacity, 256)];
        _throwOnDuplicate = throwOnDuplicate;
        _seriesOfFamily = new HashSet<Written>(new WrittenComparer(this));
    }

    /// <summary>Samples left out because their family already had a series with the same labels.</summary>
    public int DroppedDuplicates { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>The written bytes in the writer's own buffer, without a copy: write nothing more once taken.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>The size of the buffer: <see cref="WrittenMemory"/> keeps it all.</summary>
    public int Capacity => _buffer.Length;

    public override string ToString() => Encoding.UTF8.GetString(WrittenSpan);

    /// <summary>
    /// Starts a family; the samples that follow belong to it. Its <c># HELP</c> and <c># TYPE</c>
    /// lines are written with its first sample, so a family without samples leaves no trace.
    /// </summary>
    /// <exception cref="InvalidOperationException">The family was already written: families must be contiguous.</exception>
    public void Family(string name, MetricType type, string help)
    {
        PrometheusSyntax.ValidateMetricName(name);
        if (!_families.Add(name))
        {
            throw new InvalidOperationException($"Family {name} was already written; a family's samples must be contiguous.");
        }

        _family = name;
        _type = type;
        _help = help;
        _headerWritten = false;
        _seriesOfFamily.Clear();
    }

    /// <summary>A sample of the current family with the given labels, in that order.</summary>
    public void Sample(double value, params ReadOnlySpan<Label> labels) => Sample(LabelSet.Empty, value, labels);

    /// <summary>A sample of the current family: the shared labels first, then its own.</summary>
    public void Sample(LabelSet shared, double value, params ReadOnlySpan<Label> labels)
    {
        Write(shared, value, labels);
    }

    // One line: the family's name, the labels (shared, then own).
    private void Write(LabelSet shared, double value, ReadOnlySpan<Label> labels)
    {
        var family = _family ?? throw new InvalidOperationException("Start a family before writing samples.");
        Validate(shared, labels);
        if (!_headerWritten)
        {
            WriteHeader(family);
            _headerWritten = true;
        }

        var start = _length;
        AppendAscii(family);
        var labelsStart = _length;
        if (shared.Names.Count > 0 || labels.Length > 0)
        {
            AppendByte((byte)'{');
            Append(shared.Utf8.Span);
            foreach (var label in labels)
            {
                if (_length > labelsStart + 1)
                {
                    AppendByte((byte)',');
                }

                AppendAscii(label.Name);
                Append("=\""u8);
                AppendEscaped(label.Value, PrometheusSyntax.EscapeLabelValue);
                AppendByte((byte)'"');
            }

            AppendByte((byte)'}');
        }

        // A series is its name with its labels.
        var seriesBytes = _buffer.AsSpan(start, _length - start);
        var hash = new HashCode();
        hash.AddBytes(seriesBytes);
        if (!_seriesOfFamily.Add(new Written(start, seriesBytes.Length, hash.ToHashCode())))
        {
            var series = Encoding.UTF8.GetString(_buffer, start, _length - start);
            _length = start;
            if (_throwOnDuplicate)
            {
                throw new InvalidOperationException($"Series {series} was already written.");
            }

            DroppedDuplicates++;
            return;
        }

        AppendByte((byte)' ');
        Reserve(PrometheusNumber.MaxLength);
        _length += PrometheusNumber.Format(value, _buffer.AsSpan(_length));
        AppendByte((byte)'\n');
    }

    private static void Validate(LabelSet shared, ReadOnlySpan<Label> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var name = labels[i].Name;
            PrometheusSyntax.ValidateLabelName(name);
            var repeated = false;
            for (var j = 0; j < shared.Names.Count && !repeated; j++)
            {
                repeated = string.Equals(shared.Names[j], name, StringComparison.Ordinal);
            }

            for (var j = 0; j < i && !repeated; j++)
            {
                repeated = string.Equals(labels[j].Name, name, StringComparison.Ordinal);
            }

            if (repeated)
            {
                throw new ArgumentException($"Label '{name}' appears twice in one sample.", nameof(labels));
            }
        }
    }

    private void WriteHeader(string family)
    {
        Append("# HELP "u8);
        AppendAscii(family);
        AppendByte((byte)' ');
        AppendEscaped(_help, PrometheusSyntax.EscapeHelp);
        Append("\n# TYPE "u8);
        AppendAscii(family);
        Append(_type switch
        {
            MetricType.Gauge => " gauge\n"u8,
            MetricType.Counter => " counter\n"u8,
            MetricType.Summary => " summary\n"u8,
            _ => throw new InvalidOperationException($"Unknown metric type {_type}."),
        });
    }

    private void AppendEscaped(string text, EscapeInto escape)
    {
        Reserve(PrometheusSyntax.MaxEscapedLength(text));
        _length += escape(text, _buffer.AsSpan(_length));
    }

    /// <summary>Names are validated ASCII, so each character is one byte.</summary>
    private void AppendAscii(string name)
    {
        Reserve(name.Length);
        _length += Encoding.ASCII.GetBytes(name, _buffer.AsSpan(_length));
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendByte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
    }

    private delegate int EscapeInto(ReadOnlySpan<char> text, Span<byte> destination);

    /// <summary>Where a series (its name and labels) was written in the buffer.</summary>
    private readonly record struct Written(int Start, int Length, int Hash);

    /// <summary>Compares written series bytes in place, so remembering a series copies nothing.</summary>
    private sealed class WrittenComparer(PrometheusTextWriter writer) : IEqualityComparer<Written>
    {
        public bool Equals(Written x, Written y) =>
            x.Hash == y.Hash &&
            writer._buffer.AsSpan(x.Start, x.Length).SequenceEqual(writer._buffer.AsSpan(y.Start, y.Length));

        public int GetHashCode(Written obj) => obj.Hash;
    }
}
