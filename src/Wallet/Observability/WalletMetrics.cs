using Prometheus;

namespace PaySim.Wallet.Observability;

/// <summary>
/// The wallet's <c>GET /metrics</c>, through prometheus-net (the simulator uses the same library): counters end in
/// <c>_total</c>, request latency is a histogram in seconds, every family has HELP text. One registry per wallet
/// instance, so instances hosted in one process (tests, the embedded target) never share a series; the instance's
/// name is the <c>wallet</c> label because Prometheus reserves <c>instance</c> for the scrape target.
/// </summary>
internal sealed class WalletMetrics
{
    // Series that exist from the start at 0, so a dashboard and rate() see them before the first retry or failure.
    private static readonly string[] IssuerMethods = ["StartBinding", "ConfirmBinding", "ResendOtp", "Authorize", "Capture", "Void", "Refund"];

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _http;
    private readonly Histogram _httpSeconds;
    private readonly Counter _attempts;
    private readonly Counter _retries;
    private readonly Counter _budgetExhausted;
    private readonly Counter _payments;
    private readonly Counter _bindings;
    private readonly Counter _refunds;

    public WalletMetrics(string instance = "wallet")
    {
        var factory = Metrics.WithCustomRegistry(_registry).WithLabels(new Dictionary<string, string> { ["wallet"] = instance });
        _http = factory.CreateCounter("wallet_http_requests_total", "HTTP requests answered, by status code.", ["code"]);
        _httpSeconds = factory.CreateHistogram("wallet_http_request_duration_seconds", "Time from request to response, by route.", ["route"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _attempts = factory.CreateCounter("wallet_issuer_attempts_total", "Calls to the issuer, retries included, by gRPC method.", ["method"]);
        _retries = factory.CreateCounter("wallet_issuer_retries_total", "Issuer calls that were retries of a failed attempt, by gRPC method.", ["method"]);
        _budgetExhausted = factory.CreateCounter("wallet_retry_budget_exhausted_total", "Retries refused because the retry budget was spent, by gRPC method.", ["method"]);
        _payments = factory.CreateCounter("wallet_payments_total", "Payments finished, by outcome.", ["outcome"]);
        _bindings = factory.CreateCounter("wallet_bindings_total", "Card bindings finished, by outcome.", ["outcome"]);
        _refunds = factory.CreateCounter("wallet_refunds_total", "Refunds finished, by outcome.", ["outcome"]);
        foreach (var method in IssuerMethods)
        {
            _attempts.WithLabels(method);
            _retries.WithLabels(method);
            _budgetExhausted.WithLabels(method);
        }

        _payments.WithLabels("completed");
        _bindings.WithLabels("confirmed");
        _refunds.WithLabels("completed");
    }

    public void HttpRequest(int status, string route, TimeSpan elapsed)
    {
        _http.WithLabels(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _httpSeconds.WithLabels(route).Observe(elapsed.TotalSeconds);
    }

    public void IssuerAttempt(string method) => _attempts.WithLabels(method).Inc();

    public void IssuerRetry(string method) => _retries.WithLabels(method).Inc();

    public void RetryBudgetExhausted(string method) => _budgetExhausted.WithLabels(method).Inc();

    public void Payment(string outcome) => _payments.WithLabels(outcome).Inc();

    public void Binding(string outcome) => _bindings.WithLabels(outcome).Inc();

    public void Refund(string outcome) => _refunds.WithLabels(outcome).Inc();

    /// <summary>Prometheus text exposition 0.0.4 of every family.</summary>
    public Task WriteAsync(Stream body, CancellationToken ct) => _registry.CollectAndExportAsTextAsync(body, ct);
}
