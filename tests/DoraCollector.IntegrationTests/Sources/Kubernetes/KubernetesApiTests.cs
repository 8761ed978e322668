using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.IntegrationTests.Sources.Fakes;
using DoraCollector.Sources.Kubernetes;

namespace DoraCollector.IntegrationTests.Sources.Kubernetes;

/// <summary>The implicit cluster's client against a fake API server: list pages, watch, 410, token and CA.</summary>
public sealed class KubernetesApiTests : IAsyncLifetime
{
    private const string Collection = "argoproj.io/v1alpha1/applications";
    private const string Path = "apis/argoproj.io/v1alpha1/applications";

    private readonly string _directory = Directory.CreateTempSubdirectory("dora-sa-").FullName;
    private FakeKubernetesApi _api = null!;
    private EngineHost _host = null!;

    private string TokenPath => System.IO.Path.Combine(_directory, "token");

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        await File.WriteAllTextAsync(TokenPath, FakeKubernetesApi.Token + "\n");
        _host = await EngineHost.StartAsync(DateTimeOffset.UnixEpoch.AddYears(56), Settings(_api.Url, System.IO.Path.Combine(_directory, "none.crt")));
    }

    [Fact]
    public async Task A_list_reads_every_page_with_the_selector_and_returns_the_lists_version()
    {
        for (var i = 0; i < 25; i++)
        {
            _api.Put(Collection, App($"app-{i:D2}", i % 5 == 0 ? "b" : "a"));
        }

        var all = await Client.ListAsync(Path, null, CancellationToken.None);
        var selected = await Client.ListAsync(Path, "team=b", CancellationToken.None);

        Assert.Equal(25, all.Items.Count);
        Assert.Equal("125", all.ResourceVersion);
        Assert.Equal(3, _api.Requests.Count(r => r.StartsWith("LIST", StringComparison.Ordinal) && !r.Contains("labelSelector", StringComparison.Ordinal)));
        Assert.Equal(["app-00", "app-05", "app-10", "app-15", "app-20"], selected.Items.Select(Name));
        Assert.Contains(_api.Requests, r => r.Contains("labelSelector=team%3Db", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_continue_token_starts_the_list_over()
    {
        for (var i = 0; i < 12; i++)
        {
            _api.Put(Collection, App($"app-{i:D2}"));
        }

        _api.ExpireContinueTokens = true;
        await Assert.ThrowsAsync<ResourceVersionGoneException>(() => Client.ListAsync(Path, null, CancellationToken.None));
        Assert.Equal(6, _api.Requests.Count);   // three tries of a first page and a refused second page

        _api.ExpireContinueTokens = false;
        Assert.Equal(12, (await Client.ListAsync(Path, null, CancellationToken.None)).Items.Count);
    }

    [Fact]
    public async Task The_informer_lists_watches_renews_the_watch_and_lists_again_when_its_version_is_gone()
    {
        _api.Put(Collection, App("checkout"));
        var seen = new ConcurrentQueue<(string Name, bool Listed)>();
        using var stop = new CancellationTokenSource();
        var informer = _host.Service<KubernetesInformer>().RunAsync(Client, Path, null, (items, listed, _) =>
        {
            foreach (var item in items)
            {
                seen.Enqueue((Name(item), listed));
            }

            return Task.CompletedTask;
        }, stop.Token);

        await GitOpsKit.Eventually(() => seen.Contains(("checkout", true)));
        _api.Put(Collection, App("billing"));
        await GitOpsKit.Eventually(() => seen.Contains(("billing", false)));

        // The server ends the watch (timeoutSeconds): the informer watches on from where it was.
        _api.CloseWatches();
        _api.Put(Collection, App("search"));
        await GitOpsKit.Eventually(() => seen.Contains(("search", false)));
        Assert.Single(_api.Requests, r => r.StartsWith("LIST", StringComparison.Ordinal));
        Assert.Contains(_api.Requests, r => r.StartsWith("WATCH", StringComparison.Ordinal) && r.Contains("resourceVersion=102", StringComparison.Ordinal));

        // Its version is compacted away (410 status): list again.
        _api.Compact();
        _api.CloseWatches();
        await GitOpsKit.Eventually(() => _api.Requests.Count(r => r.StartsWith("LIST", StringComparison.Ordinal)) == 2);

        // A 410 inside the stream (an ERROR event, which the package hands only to its error callback
        // before ending the stream as if the server had closed it): list again, not watch on.
        _api.SendGoneEventOnNextWatch();
        _api.CloseWatches();
        await GitOpsKit.Eventually(() => _api.Requests.Count(r => r.StartsWith("LIST", StringComparison.Ordinal)) == 3);
        Assert.Equal(2, seen.Count(s => s == ("search", true)));

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => informer);
        Assert.All(_api.Requests.Where(r => r.StartsWith("WATCH", StringComparison.Ordinal)), r => Assert.Contains("allowWatchBookmarks=true", r));
    }

    [Fact]
    public async Task A_rotated_service_account_token_is_used_from_the_next_request_on()
    {
        _api.Put(Collection, App("checkout"));
        await Client.ListAsync(Path, null, CancellationToken.None);

        // The kubelet writes the new token while the client is in use; the old one is refused from now on.
        _api.ExpectedToken = "rotated-token-0123456789abcdef";
        await File.WriteAllTextAsync(TokenPath, _api.ExpectedToken);

        Assert.Single((await Client.ListAsync(Path, null, CancellationToken.None)).Items);
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task A_token_the_server_refuses_is_an_error_that_names_the_status()
    {
        _api.ExpectedToken = "another-token-0123456789abcdef";

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => Client.ListAsync(Path, null, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_servers_certificate_must_be_signed_by_the_service_account_ca()
    {
        using var authority = TestCertificates.CreateAuthority("cluster-ca");
        using var stranger = TestCertificates.CreateAuthority("someone-else");
        using var certificate = TestCertificates.CreateServer(authority);
        await using var https = await FakeKubernetesApi.StartAsync(certificate);
        https.Put(Collection, App("checkout"));
        var trusted = System.IO.Path.Combine(_directory, "ca.crt");
        var untrusted = System.IO.Path.Combine(_directory, "other.crt");
        await File.WriteAllTextAsync(trusted, authority.ExportCertificatePem());
        await File.WriteAllTextAsync(untrusted, stranger.ExportCertificatePem());

        await using (var good = await EngineHost.StartAsync(DateTimeOffset.UnixEpoch, Settings(https.Url, trusted)))
        {
            Assert.Single((await good.Service<KubernetesClusters>().Get(null).ListAsync(Path, null, CancellationToken.None)).Items);
        }

        await using var bad = await EngineHost.StartAsync(DateTimeOffset.UnixEpoch, Settings(https.Url, untrusted));
        await Assert.ThrowsAsync<HttpRequestException>(() => bad.Service<KubernetesClusters>().Get(null).ListAsync(Path, null, CancellationToken.None));
    }

    private KubernetesApiClient Client => _host.Service<KubernetesClusters>().Get(null);

    private Dictionary<string, string?> Settings(Uri url, string caPath) => new()
    {
        ["Dora:Kubernetes:ApiUrl"] = url.ToString(),
        ["Dora:Kubernetes:TokenPath"] = TokenPath,
        ["Dora:Kubernetes:CaPath"] = caPath,
        ["Dora:Kubernetes:PageSize"] = "10",
    };

    internal static JsonObject App(string name, string team = "a") => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "argocd", ["labels"] = new JsonObject { ["team"] = team } },
    };

    private static string Name(JsonElement item) => item.GetProperty("metadata").GetProperty("name").GetString()!;

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
