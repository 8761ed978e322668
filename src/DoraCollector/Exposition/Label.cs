namespace DoraCollector.Exposition;

/// <summary>One label of a sample: a name (validated when written) and its raw, unescaped value.</summary>
internal readonly record struct Label(string Name, string Value);
