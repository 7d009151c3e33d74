using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace PaySim.Wallet.Observability;

/// <summary>
/// Cheap counters for <c>GET /metrics</c> (Prometheus text). One instance per wallet instance; increments are
/// lock-free, rendering walks the maps.
/// </summary>
internal sealed class WalletMetrics
{
    private readonly ConcurrentDictionary<(string Name, string Labels), Counter> _counters = new();

    public void Increment(string name, string labels = "") => _counters.GetOrAdd((name, labels), static _ => new Counter()).Add();

    public long Get(string name, string labels = "") => _counters.TryGetValue((name, labels), out var c) ? Volatile.Read(ref c.Value) : 0;

    public void HttpRequest(int status) => Increment("wallet_http_requests_total", $"code=\"{status}\"");

    public void IssuerAttempt(string method) => Increment("wallet_issuer_attempts_total", $"method=\"{method}\"");

    public void IssuerRetry(string method) => Increment("wallet_issuer_retries_total", $"method=\"{method}\"");

    public void RetryBudgetExhausted(string method) => Increment("wallet_retry_budget_exhausted_total", $"method=\"{method}\"");

    public void Payment(string outcome) => Increment("wallet_payments_total", $"outcome=\"{outcome}\"");

    public void Binding(string outcome) => Increment("wallet_bindings_total", $"outcome=\"{outcome}\"");

    public void Refund(string outcome) => Increment("wallet_refunds_total", $"outcome=\"{outcome}\"");

    public string ToPrometheusText(string instance)
    {
        var text = new StringBuilder();
        foreach (var group in _counters.OrderBy(c => c.Key.Name).ThenBy(c => c.Key.Labels).GroupBy(c => c.Key.Name))
        {
            text.Append("# TYPE ").Append(group.Key).Append(" counter\n");
            foreach (var ((name, labels), counter) in group)
            {
                var all = labels.Length == 0 ? $"instance=\"{instance}\"" : $"instance=\"{instance}\"," + labels;
                text.Append(name).Append('{').Append(all).Append("} ")
                    .Append(Volatile.Read(ref counter.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    private sealed class Counter
    {
        public long Value;

        public void Add() => Interlocked.Increment(ref Value);
    }
}
