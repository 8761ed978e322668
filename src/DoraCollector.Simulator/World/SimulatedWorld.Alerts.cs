using DoraCollector.Simulator.Alertmanager;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// Alerts: a broken rollout's alert (and sometimes a companion that overlaps it) until a rollback,
/// a hotfix or a revert is live or someone fixes it outside the deploy path; alerts with no
/// deployment behind them; a flapping one; warnings that do not count; alerts for a service the
/// catalog does not know.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private static readonly string[] BreakageAlerts = ["HighErrorRate", "HighLatency", "PodCrashLooping", "SLOBurnRateFast"];
    private static readonly string[] CompanionAlerts = ["ErrorBudgetBurn", "UpstreamTimeouts", "Http5xxSpike"];
    private static readonly string[] BackgroundAlerts = ["NodeDiskPressure", "CertificateExpiringSoon", "QueueBacklogGrowing", "DatabaseConnectionsSaturated"];
    private static readonly string[] UnknownServices = ["legacy-billing", "batch-exporter", "ftp-bridge"];

    private readonly Dictionary<SimulatedAlert, AlertFact> _alertFacts = [];
    private readonly Dictionary<string, string> _lastTitles = new(StringComparer.Ordinal);

    private void PlanAlerts(Pipeline pipeline, DateTimeOffset day)
    {
        var profile = pipeline.Team.Profile;
        if (Chance(profile.BackgroundAlertsPerServiceDay))
        {
            var when = day.AddSeconds(_random.Next(86400));
            if (when >= Now)
            {
                At(when, () => StartIncident(pipeline, pipeline.Production, remedy: false, BackgroundAlerts));
            }
        }

        if (Chance(0.08))
        {
            var when = day.AddSeconds(_random.Next(86400));
            if (when >= Now)
            {
                // A warning: Alertmanager sends it, the collector's matchers leave it out.
                At(when, () =>
                {
                    if (Fire(pipeline, pipeline.Production, "HighMemoryUsage", "warning", $"{pipeline.Service.Name} uses 85% of its memory limit") is { } alert)
                    {
                        After(Minutes(5, 90), () => End(alert));
                    }
                });
            }
        }
    }

    private void PlanOrganizationAlerts(DateTimeOffset day)
    {
        if (Chance(0.1))
        {
            var pipeline = Pick(_pipelines.Values.ToList());
            var when = day.AddSeconds(_random.Next(86400));
            if (when >= Now)
            {
                At(when, () => Flap(pipeline, 3));
            }
        }

        if (Chance(0.15))
        {
            var when = day.AddSeconds(_random.Next(86400));
            if (when >= Now)
            {
                At(when, () =>
                {
                    var name = Pick(UnknownServices);
                    var labels = new Dictionary<string, string>
                    {
                        ["alertname"] = "JobFailed", ["severity"] = "critical", [Chance(0.5) ? "service" : "app"] = name,
                        ["environment"] = "production", ["team"] = "unknown",
                    };
                    if (Fire(labels, $"{name}: the nightly job failed") is { } alert && Chance(0.8))
                    {
                        After(Minutes(5, 120), () => End(alert));
                    }
                });
            }
        }
    }

    /// <summary>
    /// An incident: its alert fires (a companion may follow and overlap it); with a remedy the
    /// team rolls back, ships a hotfix, reverts, or fixes it outside the deploy path; without one it
    /// passes after the team's restore time.
    /// </summary>
    private void StartIncident(Pipeline pipeline, Lane lane, bool remedy, string[] names)
    {
        var incident = new SimulatedIncident(pipeline, lane.Environment);
        var service = pipeline.Service;
        if (Fire(pipeline, lane, Pick(names), Chance(0.8) ? "critical" : "page", $"{service.Name} is unhealthy in {lane.Environment}") is not { } alert)
        {
            return;
        }

        incident.Alerts.Add(alert);
        if (Chance(0.35))
        {
            After(Minutes(1, 10), () =>
            {
                if (Fire(pipeline, lane, Pick(CompanionAlerts), "critical", $"{service.Name}: errors downstream") is { } companion)
                {
                    if (incident.Resolved)
                    {
                        After(Minutes(3, 15), () => End(companion));
                    }
                    else
                    {
                        incident.Alerts.Add(companion);
                    }
                }
            });
        }

        var profile = pipeline.Team.Profile;
        After(TimeSpan.FromDays(4), () => Resolve(incident));
        if (!remedy)
        {
            After(profile.Restore.Draw(_random), () => Resolve(incident));
            return;
        }

        var remedies = profile.Remedies;
        var bad = lane.Live!;
        switch (Weighted(remedies.Rollback, remedies.Hotfix, remedies.Revert, remedies.Outside))
        {
            case 0 when lane.LiveHistory.Any(r => r != lane.Live):
                After(Minutes(5, 20), () =>
                {
                    if (!incident.Resolved)
                    {
                        incident.AwaitsRollback = true;
                        pipeline.AwaitingFix.Add(incident);
                        if (lane.Live is { } live)
                        {
                            pipeline.Bad.Add(live);
                        }

                        RequestRollout(pipeline, lane, RolloutKind.Rollback, null, TimeSpan.Zero);
                    }
                });
                break;
            case 1:
                PlanPullRequest(pipeline.Team, Pick(pipeline.Team.Engineers), Now + Minutes(5, 20), incident);
                break;
            case 2:
                After(Minutes(10, 30), () => Revert(incident, bad));
                break;
            default:
                After(profile.Restore.Draw(_random), () => Resolve(incident));
                break;
        }
    }

    /// <summary>Reverts the last change of the service: pushed straight to main, or as a pull request.</summary>
    private void Revert(SimulatedIncident incident, string bad)
    {
        if (incident.Resolved)
        {
            return;
        }

        var pipeline = incident.Pipeline;
        var service = pipeline.Service;
        var title = _lastTitles.GetValueOrDefault(service.Name) ?? $"Tune {service.Name} resource limits";
        var message = $"Revert \"{title}\"\n\nThis reverts commit {bad}.";
        var author = Pick(pipeline.Team.Engineers);
        if (Chance(0.5))
        {
            var sha = Push(service.Repository, [$"{service.SourceRoot}/{Pick(Modules)}.go"], message, author, Now - Minutes(1, 5), Now);
            ShipFix(incident, sha);
        }
        else
        {
            PlanPullRequest(pipeline.Team, author, Now + Minutes(1, 5), incident, $"Revert \"{title}\"", message);
        }
    }

    /// <summary>A fix landed on main: it goes straight to staging and on to production, and ends the incident once live.</summary>
    private void ShipFix(SimulatedIncident incident, string revision)
    {
        var pipeline = incident.Pipeline;
        incident.FixRevision = revision;
        pipeline.AwaitingFix.Add(incident);
        pipeline.FastTrack = true;
        RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, Minutes(3, 8));
    }

    private void Resolve(SimulatedIncident incident)
    {
        if (incident.Resolved)
        {
            return;
        }

        incident.Resolved = true;
        incident.Pipeline.AwaitingFix.Remove(incident);
        foreach (var (alert, i) in incident.Alerts.Select((a, i) => (a, i)))
        {
            if (i == 0)
            {
                End(alert);
            }
            else
            {
                // Companions clear a little later, or have already.
                After(Minutes(1, 10), () => End(alert));
            }
        }
    }

    /// <summary>An alert that fires and clears several times in a row: each firing is a period of its own.</summary>
    private void Flap(Pipeline pipeline, int times)
    {
        if (times == 0 || Fire(pipeline, pipeline.Production, "HighLatencyP99", "critical", $"{pipeline.Service.Name} p99 latency above 2s") is not { } alert)
        {
            return;
        }

        After(Minutes(1, 4), () =>
        {
            End(alert);
            After(Minutes(2, 8), () => Flap(pipeline, times - 1));
        });
    }

    private SimulatedAlert? Fire(Pipeline pipeline, Lane lane, string name, string severity, string summary)
    {
        var service = pipeline.Service;
        var labels = new Dictionary<string, string>
        {
            ["alertname"] = name, ["severity"] = severity, [service.AlertLabel] = service.AlertValue, ["environment"] = lane.Environment,
            ["namespace"] = service.Name, ["team"] = service.Team,
        };
        if (service.AlertsWithRevision && lane.Live is { } live)
        {
            // The alert joins the build info the service exports: the revision that runs.
            labels["revision"] = live[..12];
        }

        if (AlertCluster(lane, labels) is { } cluster)
        {
            // Prometheus' external label: the cluster the alert was seen on.
            labels["cluster"] = cluster;
        }

        var alert = Fire(labels, summary);
        if (alert is not null && lane.Argo is { } app)
        {
            app.Health("Degraded", Now);
            _argoChanged = true;
            NotifyArgoCd(app);
        }

        return alert;
    }

    private SimulatedAlert? Fire(Dictionary<string, string> labels, string summary)
    {
        var fingerprint = Fingerprint(labels);
        if (_firing.ContainsKey(FiringKey(labels)))
        {
            // Already firing: Alertmanager holds one alert per label set (here: one per cluster
            // label or none, so the cluster labels change nothing else that happens).
            return null;
        }

        var alert = new SimulatedAlert(fingerprint, labels, Now, summary);
        _firing[FiringKey(labels)] = alert;
        var fact = new AlertFact(fingerprint, labels, Now, NextFact());
        _alertFacts[alert] = fact;
        Timeline.Alerts.Add(fact);
        EmitAlertmanager(AlertmanagerNotifications.Notification([AlertmanagerNotifications.Firing(fingerprint, Now, labels, summary)], groupLabels: labels));
        return alert;
    }

    private void End(SimulatedAlert alert)
    {
        if (alert.EndsAt is not null)
        {
            return;
        }

        alert.EndsAt = Now;
        _alertFacts[alert].EndsAt = Now;
        _firing.Remove(FiringKey(alert.Labels));
        EmitAlertmanager(AlertmanagerNotifications.Notification(
            [AlertmanagerNotifications.Resolved(alert.Fingerprint, alert.StartsAt, Now, alert.Labels, alert.Summary)], status: "resolved", groupLabels: alert.Labels));
        var service = alert.Labels.GetValueOrDefault("namespace");
        if (service is not null && _pipelines.TryGetValue(service, out var pipeline)
            && pipeline.Lane(alert.Labels["environment"]).Argo is { } app
            && !_firing.Values.Any(a => a.Labels.GetValueOrDefault("namespace") == service && a.Labels["environment"] == alert.Labels["environment"]))
        {
            app.Health("Healthy", Now);
            _argoChanged = true;
        }
    }

    private void EmitAlertmanager(string body) =>
        Emit(DeliveryKind.Alertmanager, "/webhooks/alertmanager", body,
            new("Content-Type", "application/json"), new("Authorization", $"Bearer {Credentials.AlertmanagerWebhookToken}"),
            new("User-Agent", "Alertmanager/0.27.0"));

    private static string FiringKey(IReadOnlyDictionary<string, string> labels) =>
        Fingerprint(labels.Where(l => l.Key != "cluster").ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal));

    /// <summary>Alertmanager's fingerprint of a label set: FNV-1a (64 bit) over the sorted names and values, in hex.</summary>
    internal static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        const ulong offset = 14695981039346656037, prime = 1099511628211;
        var hash = offset;
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(name).Append((byte)0xff).Concat(System.Text.Encoding.UTF8.GetBytes(value)).Append((byte)0xff))
            {
                hash = (hash ^ b) * prime;
            }
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
