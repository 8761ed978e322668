using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace DoraCollector.Simulator.ArgoCd;

/// <summary>
/// An Argo CD Application in the wire format of the API and of Kubernetes (the shape of Argo CD's
/// own test fixtures), including the fields the collector must ignore (health, reconciledAt,
/// resources, comparedTo), as its sync history unfolds: each sync that succeeds adds a history
/// entry, and the last operation (succeeded, failed, running) stays in <c>status.operationState</c>.
/// </summary>
internal sealed class ArgoCdApplication(string name, string @namespace = "argocd")
{
    private readonly List<JsonObject> _history = [];
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private JsonArray? _sources;
    private JsonObject _source = Source("https://github.com/acme/shop.git", "services/checkout/deploy", "main");
    private JsonObject? _operation;
    private string _project = "default";
    private string _cluster = "in-cluster";
    private string _destinationNamespace = "apps";
    private long _nextId;
    private string _health = "Healthy";
    private DateTimeOffset _reconciledAt = DateTimeOffset.UnixEpoch;

    public string Name => name;

    public string Namespace => @namespace;

    public static JsonObject Source(string repoUrl, string? path, string targetRevision, string? chart = null, string? @ref = null)
    {
        var source = new JsonObject { ["repoURL"] = repoUrl, ["targetRevision"] = targetRevision };
        if (path is not null)
        {
            source["path"] = path;
        }

        if (chart is not null)
        {
            source["chart"] = chart;
        }

        if (@ref is not null)
        {
            source["ref"] = @ref;
        }

        return source;
    }

    public ArgoCdApplication WithSource(string repoUrl, string? path, string targetRevision = "main")
    {
        _source = Source(repoUrl, path, targetRevision);
        return this;
    }

    public ArgoCdApplication WithSources(params JsonObject[] sources)
    {
        _sources = new JsonArray(sources.Select(s => (JsonNode)s.DeepClone()).ToArray());
        return this;
    }

    public ArgoCdApplication Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public ArgoCdApplication Destination(string cluster, string ns, string project = "default")
    {
        (_cluster, _destinationNamespace, _project) = (cluster, ns, project);
        return this;
    }

    /// <summary>A whole-application sync of <paramref name="revision"/> (one per source for multi-source) ran from start to finish and succeeded.</summary>
    public ArgoCdApplication Synced(DateTimeOffset started, DateTimeOffset finished, string revision, string? user = null, bool rollback = false,
        string[]? revisions = null)
    {
        var entry = new JsonObject
        {
            ["deployStartedAt"] = Time(started), ["deployedAt"] = Time(finished), ["id"] = _nextId++,
            ["initiatedBy"] = Initiator(user),
        };
        if (revisions is null)
        {
            entry["revision"] = revision;
            entry["source"] = _source.DeepClone();
        }
        else
        {
            entry["revisions"] = new JsonArray(revisions.Select(r => (JsonNode)r).ToArray());
            entry["sources"] = _sources!.DeepClone();
        }

        _history.Add(entry);
        _operation = Operation("Succeeded", "successfully synced (all tasks run)", started, finished, revision, user, rollback, revisions);
        _reconciledAt = finished;
        return this;
    }

    /// <summary>A sync of <paramref name="revision"/> failed: the operation ends Failed and leaves no history entry.</summary>
    public ArgoCdApplication Failed(DateTimeOffset started, DateTimeOffset finished, string revision, string phase = "Failed")
    {
        _operation = Operation(phase, $"one or more objects failed to apply, reason: Deployment.apps \"{name}\" is invalid",
            started, finished, revision, null, false, null);
        _reconciledAt = finished;
        return this;
    }

    /// <summary>A sync has started and not finished.</summary>
    public ArgoCdApplication Running(DateTimeOffset started, string revision)
    {
        _operation = Operation("Running", $"waiting for healthy state of apps/Deployment/{name}", started, null, revision, null, false, null);
        return this;
    }

    /// <summary>Argo CD drops all but the newest <paramref name="limit"/> history entries (<c>revisionHistoryLimit</c>).</summary>
    public ArgoCdApplication Keep(int limit)
    {
        _history.RemoveRange(0, Math.Max(0, _history.Count - limit));
        return this;
    }

    public ArgoCdApplication Health(string status, DateTimeOffset at)
    {
        (_health, _reconciledAt) = (status, at);
        return this;
    }

    public JsonObject ToJson()
    {
        var spec = new JsonObject
        {
            ["destination"] = new JsonObject { ["name"] = _cluster, ["namespace"] = _destinationNamespace },
            ["project"] = _project,
            ["syncPolicy"] = new JsonObject
            {
                ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true },
                ["syncOptions"] = new JsonArray("CreateNamespace=true"),
            },
        };
        if (_sources is null)
        {
            spec["source"] = _source.DeepClone();
        }
        else
        {
            spec["sources"] = _sources.DeepClone();
        }

        var live = _history.Count > 0 ? _history[^1] : null;
        var status = new JsonObject
        {
            ["controllerNamespace"] = @namespace,
            ["health"] = new JsonObject { ["status"] = _health },
            ["history"] = _history.Count == 0 ? null : new JsonArray(_history.Select(h => h.DeepClone()).ToArray()),
            ["reconciledAt"] = Time(_reconciledAt),
            ["resources"] = new JsonArray(new JsonObject
            {
                ["group"] = "apps", ["kind"] = "Deployment", ["name"] = name, ["namespace"] = _destinationNamespace,
                ["status"] = "Synced", ["version"] = "v1", ["health"] = new JsonObject { ["status"] = _health },
            }),
            ["sourceType"] = "Kustomize",
            ["summary"] = new JsonObject { ["images"] = new JsonArray($"ghcr.io/acme/{name}:latest") },
            ["sync"] = new JsonObject
            {
                ["comparedTo"] = new JsonObject { ["destination"] = spec["destination"]!.DeepClone(), ["source"] = _source.DeepClone() },
                ["revision"] = live?["revision"]?.DeepClone(),
                ["status"] = "Synced",
            },
        };
        if (_operation is not null)
        {
            status["operationState"] = _operation.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { ["notifications.argoproj.io/subscribe.dora-on-deployed.dora-collector"] = "" },
                ["creationTimestamp"] = "2026-01-01T00:00:00Z",
                ["finalizers"] = new JsonArray("resources-finalizer.argocd.argoproj.io"),
                ["generation"] = 12,
                ["labels"] = _labels.Count == 0 ? null : new JsonObject(_labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                ["name"] = name,
                ["namespace"] = @namespace,
                ["resourceVersion"] = "1",
                ["uid"] = Uid(),
            },
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    private JsonObject Operation(string phase, string message, DateTimeOffset started, DateTimeOffset? finished, string revision, string? user,
        bool rollback, string[]? revisions)
    {
        var sync = new JsonObject
        {
            ["revision"] = revision,
            ["syncOptions"] = new JsonArray("CreateNamespace=true"),
            ["syncStrategy"] = new JsonObject { ["hook"] = new JsonObject() },
        };
        var result = new JsonObject
        {
            ["resources"] = new JsonArray(new JsonObject
            {
                ["group"] = "apps", ["kind"] = "Deployment", ["name"] = name, ["namespace"] = _destinationNamespace, ["version"] = "v1",
                ["status"] = phase == "Succeeded" ? "Synced" : "SyncFailed", ["syncPhase"] = "Sync", ["message"] = message,
            }),
        };
        if (revisions is null)
        {
            result["revision"] = revision;
            result["source"] = _source.DeepClone();
        }
        else
        {
            sync["revisions"] = new JsonArray(revisions.Select(r => (JsonNode)r).ToArray());
            result["revisions"] = new JsonArray(revisions.Select(r => (JsonNode)r).ToArray());
            result["sources"] = _sources!.DeepClone();
        }

        if (rollback)
        {
            // Argo CD's rollback syncs the source recorded in the history entry it goes back to.
            sync["source"] = _source.DeepClone();
            sync["syncStrategy"] = new JsonObject { ["apply"] = new JsonObject() };
        }

        var state = new JsonObject
        {
            ["message"] = message,
            ["operation"] = new JsonObject
            {
                ["initiatedBy"] = Initiator(user),
                ["retry"] = new JsonObject { ["limit"] = 5 },
                ["sync"] = sync,
            },
            ["phase"] = phase,
            ["startedAt"] = Time(started),
            ["syncResult"] = result,
        };
        if (finished is { } end)
        {
            state["finishedAt"] = Time(end);
        }

        return state;
    }

    // A stable Kubernetes uid for the application (the same in every run).
    private string Uid()
    {
        var hex = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{@namespace}/{name}"))).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-4{hex[13..16]}-8{hex[17..20]}-{hex[20..32]}";
    }

    private static JsonObject Initiator(string? user) =>
        user is null ? new JsonObject { ["automated"] = true } : new JsonObject { ["username"] = user };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
