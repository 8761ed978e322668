using DoraCollector.Exposition;

namespace DoraCollector.UnitTests.Exposition;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Writes_help_and_type_then_the_samples_of_each_family()
    {
        var writer = Strict();

        writer.Family("dora_changes", MetricType.Gauge, "Changes deployed.");
        writer.Sample(3, new Label("service", "checkout"), new Label("window", "7d"));
        writer.Sample(0.25, new Label("service", "search"), new Label("window", "7d"));
        writer.Family("dora_deployments_total", MetricType.Counter, "Deployments since records began.");
        writer.Sample(42);

        Assert.Equal(
            """
            # HELP dora_changes Changes deployed.
            # TYPE dora_changes gauge
            dora_changes{service="checkout",window="7d"} 3
            dora_changes{service="search",window="7d"} 0.25
            # HELP dora_deployments_total Deployments since records began.
            # TYPE dora_deployments_total counter
            dora_deployments_total 42

            """,
            writer.ToString());
    }

    [Fact]
    public void A_family_without_samples_leaves_no_trace()
    {
        var writer = Strict();

        writer.Family("dora_rework_rate_ratio", MetricType.Gauge, "Nothing to say.");
        writer.Family("dora_changes", MetricType.Gauge, "Changes.");
        writer.Sample(1);

        Assert.Equal("# HELP dora_changes Changes.\n# TYPE dora_changes gauge\ndora_changes 1\n", writer.ToString());
    }

    [Fact]
    public void Escapes_backslash_quote_and_newline_in_label_values_and_keeps_other_text_as_UTF8()
    {
        var writer = Strict();

        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(1, new Label("path", "C:\\deploy \"blue\"\nnext"), new Label("team", "Zürich ✓ 🚀"));

        Assert.Equal("x{path=\"C:\\\\deploy \\\"blue\\\"\\nnext\",team=\"Zürich ✓ 🚀\"} 1\n", Lines(writer)[2] + "\n");
    }

    [Fact]
    public void Escapes_backslash_and_newline_in_help_but_leaves_quotes()
    {
        var writer = Strict();

        writer.Family("x", MetricType.Gauge, "a \\ b \"c\"\nsecond line");
        writer.Sample(1);

        Assert.Equal("# HELP x a \\\\ b \"c\"\\nsecond line", Lines(writer)[0]);
    }

    [Fact]
    public void Shared_labels_come_first_and_are_written_as_given()
    {
        var writer = Strict();
        var shared = LabelSet.Create(new Label("scope", "team"), new Label("team", "pay\"ments"));

        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(shared, 1, new Label("quantile", "0.5"));
        writer.Sample(shared, 2, new Label("quantile", "0.9"));
        writer.Family("y", MetricType.Gauge, "h");
        writer.Sample(shared, 3);

        var lines = Lines(writer);
        Assert.Equal("x{scope=\"team\",team=\"pay\\\"ments\",quantile=\"0.5\"} 1", lines[2]);
        Assert.Equal("x{scope=\"team\",team=\"pay\\\"ments\",quantile=\"0.9\"} 2", lines[3]);
        Assert.Equal("y{scope=\"team\",team=\"pay\\\"ments\"} 3", lines[6]);
    }

    [Fact]
    public void Keeps_families_and_samples_in_the_order_they_were_written()
    {
        var writer = Strict();

        writer.Family("zeta", MetricType.Gauge, "h");
        writer.Sample(1, new Label("k", "b"));
        writer.Sample(2, new Label("k", "a"));
        writer.Family("alpha", MetricType.Gauge, "h");
        writer.Sample(3);

        Assert.Equal(
            ["# HELP zeta h", "# TYPE zeta gauge", "zeta{k=\"b\"} 1", "zeta{k=\"a\"} 2", "# HELP alpha h", "# TYPE alpha gauge", "alpha 3"],
            Lines(writer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1dora")]
    [InlineData("dora-changes")]
    [InlineData("dora changes")]
    [InlineData("dora_änderungen")]
    [InlineData("dora{x}")]
    public void Rejects_a_metric_name_outside_the_format(string name) =>
        Assert.Throws<ArgumentException>(() => Strict().Family(name, MetricType.Gauge, "h"));

    [Theory]
    [InlineData("dora_changes")]
    [InlineData("_private")]
    [InlineData("job:dora_changes:sum")]
    [InlineData("A9")]
    public void Accepts_metric_names_of_the_format(string name)
    {
        var writer = Strict();
        writer.Family(name, MetricType.Gauge, "h");
        writer.Sample(1);
        Assert.StartsWith(name + " 1", Lines(writer)[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1st")]
    [InlineData("a:b")]
    [InlineData("a-b")]
    [InlineData("__name__")]
    [InlineData("équipe")]
    public void Rejects_a_label_name_outside_the_format(string name)
    {
        var writer = Strict();
        writer.Family("x", MetricType.Gauge, "h");

        Assert.Throws<ArgumentException>(() => writer.Sample(1, new Label(name, "v")));
        Assert.Throws<ArgumentException>(() => LabelSet.Create(new Label(name, "v")));
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void Rejects_a_label_that_appears_twice_in_one_sample()
    {
        var writer = Strict();
        writer.Family("x", MetricType.Gauge, "h");
        var shared = LabelSet.Create(new Label("window", "7d"));

        Assert.Throws<ArgumentException>(() => writer.Sample(1, new Label("a", "1"), new Label("a", "2")));
        Assert.Throws<ArgumentException>(() => writer.Sample(shared, 1, new Label("window", "30d")));
        Assert.Throws<ArgumentException>(() => LabelSet.Create(new Label("a", "1"), new Label("a", "1")));
    }

    [Fact]
    public void Throws_on_a_series_written_twice_in_a_family_when_strict()
    {
        var writer = Strict();
        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(1, new Label("service", "checkout"));

        var error = Assert.Throws<InvalidOperationException>(() => writer.Sample(2, new Label("service", "checkout")));

        Assert.Contains("x{service=\"checkout\"}", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Lines(writer).Length);
    }

    [Fact]
    public void Drops_and_counts_a_series_written_twice_when_lenient()
    {
        var writer = new PrometheusTextWriter(throwOnDuplicate: false);
        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(1, new Label("service", "checkout"));
        writer.Sample(2, new Label("service", "checkout"));
        writer.Sample(3, new Label("service", "search"));
        writer.Sample(4);
        writer.Sample(5);

        Assert.Equal(["x{service=\"checkout\"} 1", "x{service=\"search\"} 3", "x 4"], Lines(writer)[2..]);
        Assert.Equal(2, writer.DroppedDuplicates);
    }

    [Fact]
    public void The_same_labels_in_another_family_are_another_series()
    {
        var writer = Strict();
        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(1, new Label("service", "checkout"));
        writer.Family("y", MetricType.Gauge, "h");
        writer.Sample(1, new Label("service", "checkout"));

        Assert.Equal(6, Lines(writer).Length);
    }

    [Fact]
    public void Finds_a_duplicate_after_the_buffer_has_grown()
    {
        var writer = new PrometheusTextWriter(initialCapacity: 16, throwOnDuplicate: true);
        writer.Family("dora_lead_time_for_changes_seconds", MetricType.Gauge, "h");
        for (var i = 0; i < 10_000; i++)
        {
            writer.Sample(i, new Label("service", $"service-{i}"), new Label("quantile", "0.5"));
        }

        Assert.Equal(10_002, Lines(writer).Length);
        Assert.Throws<InvalidOperationException>(() => writer.Sample(1, new Label("service", "service-0"), new Label("quantile", "0.5")));
    }

    [Fact]
    public void Writing_a_sample_allocates_nothing_once_the_buffer_is_large_enough()
    {
        var writer = new PrometheusTextWriter(initialCapacity: 1 << 20, throwOnDuplicate: true);
        var series = Enumerable.Range(0, 1000)
            .Select(i => LabelSet.Create(new Label("scope", "service"), new Label("service", $"service-{i}"), new Label("window", "7d")))
            .ToArray();
        var median = new Label("quantile", "0.5");
        var ninetieth = new Label("quantile", "0.9");
        writer.Family("warm_up", MetricType.Gauge, "Sizes the duplicate check.");
        WriteAll();

        writer.Family("dora_lead_time_for_changes_seconds", MetricType.Gauge, "Lead time.");
        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        void WriteAll()
        {
            foreach (var labels in series)
            {
                writer.Sample(labels, 3600.5, median);
                writer.Sample(labels, 1.5e-7, ninetieth);
            }
        }
    }

    [Fact]
    public void Rejects_a_family_written_twice_since_families_must_be_contiguous()
    {
        var writer = Strict();
        writer.Family("x", MetricType.Gauge, "h");
        writer.Sample(1);
        writer.Family("y", MetricType.Gauge, "h");

        Assert.Throws<InvalidOperationException>(() => writer.Family("x", MetricType.Gauge, "h"));
    }

    [Fact]
    public void Rejects_a_sample_outside_a_family() =>
        Assert.Throws<InvalidOperationException>(() => Strict().Sample(1));

    private static PrometheusTextWriter Strict() => new(throwOnDuplicate: true);

    private static string[] Lines(PrometheusTextWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
