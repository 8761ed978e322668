using System.Net;
using System.Text;
using DoraCollector.Simulator.World;

namespace DoraCollector.Simulator.Sending;

/// <summary>
/// Posts deliveries to the collector as their senders do: the exact body and headers, one after
/// the other in the order they happened; a 503 or an unreachable collector is retried with
/// backoff (as Alertmanager, Flux and Argo CD do), any other refusal is counted and reported.
/// </summary>
internal sealed class WebhookSender(HttpClient collector, TimeProvider clock)
{
    private const int Attempts = 6;

    public async Task<WebhookReport> SendAsync(IEnumerable<Delivery> deliveries, Action<string>? refused, CancellationToken ct)
    {
        int sent = 0, accepted = 0, duplicates = 0, failed = 0;
        foreach (var delivery in deliveries)
        {
            sent++;
            var status = await PostAsync(delivery, ct);
            switch (status)
            {
                case HttpStatusCode.Accepted:
                    accepted++;
                    break;
                case HttpStatusCode.OK:
                    duplicates++;
                    break;
                default:
                    failed++;
                    refused?.Invoke($"{delivery.Kind} {delivery.Path}: {(status is null ? "unreachable" : $"{(int)status} {status}")}");
                    break;
            }
        }

        return new WebhookReport(sent, accepted, duplicates, failed);
    }

    private async Task<HttpStatusCode?> PostAsync(Delivery delivery, CancellationToken ct)
    {
        HttpStatusCode? status = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Path.TrimStart('/'))
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body)),
            };
            foreach (var (name, value) in delivery.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            try
            {
                using var response = await collector.SendAsync(request, ct);
                status = response.StatusCode;
                if (status != HttpStatusCode.ServiceUnavailable)
                {
                    return status;
                }
            }
            catch (HttpRequestException) when (attempt < Attempts)
            {
                status = null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * (1 << attempt)), clock, ct);
        }

        return status;
    }
}
