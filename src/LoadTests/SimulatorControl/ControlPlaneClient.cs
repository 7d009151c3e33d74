using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PaySim.Contracts.Control.V1;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.SimulatorControl;

/// <summary>
/// The simulator's control plane as JSON over HTTP, so an embedded and an external simulator are
/// driven the same way. Accepts 64-bit numbers as JSON numbers or strings (protobuf's JSON mapping).
/// </summary>
internal sealed class ControlPlaneClient : IDisposable
{
    /// <summary>A newer simulator may add fields; they are not this client's business.</summary>
    private static readonly Google.Protobuf.JsonParser LedgerJson = new(Google.Protobuf.JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly HttpClient _http;

    public ControlPlaneClient(Uri baseUri)
    {
        BaseUri = baseUri;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(3), AllowAutoRedirect = false })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    public Uri BaseUri { get; }

    /// <summary>Rows per <c>GET /v1/cardholders</c> (the simulator's most, 100,000); larger asks are read in pages of this size.</summary>
    public int CardholderPage { get; init; } = 100_000;

    /// <summary>Up to <paramref name="count"/> cardholders from <paramref name="offset"/> (in pages of <see cref="CardholderPage"/>).</summary>
    public async Task<IReadOnlyList<SimCardholder>> GetCardholdersAsync(int count, string? persona, int offset, CancellationToken cancellationToken)
    {
        var all = new List<SimCardholder>();
        while (true)
        {
            var ask = Math.Min(count - all.Count, CardholderPage);
            var page = await GetCardholderPageAsync(ask, persona, offset + all.Count, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < ask || all.Count >= count)
            {
                return all;
            }
        }
    }

    private async Task<IReadOnlyList<SimCardholder>> GetCardholderPageAsync(int count, string? persona, int offset, CancellationToken cancellationToken)
    {
        var query = $"v1/cardholders?count={count}&offset={offset}" + (persona is null ? string.Empty : $"&persona={Uri.EscapeDataString(persona)}");
        var json = await GetJsonAsync(query, cancellationToken).ConfigureAwait(false);
        var list = json?["cardholders"] as JsonArray ?? json as JsonArray ?? [];
        return list.OfType<JsonObject>().Select(o => new SimCardholder
        {
            Pan = Str(o, "pan"),
            Expiry = Str(o, "expiry"),
            Cvv = Str(o, "cvv"),
            HolderName = Str(o, "holderName"),
            IdNumber = Str(o, "idNumber"),
            Phone = Str(o, "phone"),
            BalanceMinor = Long(o["balanceMinor"]),
            DailyLimitMinor = Long(o["dailyLimitMinor"]),
            Status = Str(o, "status"),
            Currency = Str(o, "currency") is { Length: > 0 } c ? c : "CNY",
            Persona = Str(o, "persona"),
            Locale = Str(o, "locale"),
            InputHolderName = Str(o, "inputHolderName") is { Length: > 0 } n ? n : Str(o, "holderName"),
            InputIdNumber = Str(o, "inputIdNumber") is { Length: > 0 } i ? i : Str(o, "idNumber"),
            InputPhone = Str(o, "inputPhone") is { Length: > 0 } p ? p : Str(o, "phone"),
            ExpectedResponseCode = Str(o, "expectedResponseCode"),
            ExpectedDeclineReason = Str(o, "expectedDeclineReason"),
            Magic = o["magic"] is JsonValue m && m.TryGetValue<bool>(out var b) && b,
        }).ToArray();
    }

    /// <summary>The simulator's merchants with their EMVCo QR codes (<c>GET /v1/merchants</c>); 1..1000 of them.</summary>
    public async Task<IReadOnlyList<SimMerchant>> GetMerchantsAsync(int count, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync($"v1/merchants?count={count}", cancellationToken).ConfigureAwait(false);
        return (json?["merchants"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => new SimMerchant(Str(o, "merchantId"), Str(o, "name"), Str(o, "city"), Str(o, "currency"), o["amountMinor"] is JsonValue ? Long(o["amountMinor"]) : null, Str(o, "qr")))
            .Where(m => m.MerchantId.Length > 0)
            .ToArray();
    }

    public async Task<IReadOnlyList<NodeCounters>> GetStatsAsync(CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync("v1/stats", cancellationToken).ConfigureAwait(false);
        var nodes = json?["nodes"] as JsonArray ?? [];
        return nodes.OfType<JsonObject>().Select(n =>
        {
            var methods = (n["methods"] as JsonArray ?? []).OfType<JsonObject>()
                .GroupBy(m => Str(m, "method"))
                .ToDictionary(g => g.Key, g => g.Sum(m => Long(m["calls"])));
            return new NodeCounters(Str(n, "name"), Long(n["requests"]), Long(n["errors"]), methods);
        }).ToArray();
    }

    public async Task<Invariants> GetInvariantsAsync(CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync("v1/invariants", cancellationToken).ConfigureAwait(false);
        var violations = (json?["violations"] as JsonArray ?? []).Select(v => v?.ToString() ?? string.Empty).ToArray();
        var conserved = json?["moneyConserved"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        return new Invariants(Long(json?["duplicateCharges"]), conserved, violations, Long(json?["declinedReattempts"]));
    }

    /// <summary>The cursor of the ledger's head now (<c>GET /v1/ledger?limit=0</c>): rows made after this call come after it.</summary>
    public async Task<string> GetLedgerHeadAsync(CancellationToken cancellationToken) =>
        (await GetLedgerPageAsync(null, 0, cancellationToken).ConfigureAwait(false)).NextCursor;

    /// <summary>Up to <paramref name="limit"/> authorizations made after <paramref name="since"/> (null = since the last reset), read into the contract's own types.</summary>
    public async Task<LedgerReply> GetLedgerPageAsync(string? since, int limit, CancellationToken cancellationToken)
    {
        var query = $"v1/ledger?limit={limit}" + (since is null ? string.Empty : $"&since={Uri.EscapeDataString(since)}");
        using var reply = await _http.GetAsync(query, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "GET /v1/ledger", cancellationToken).ConfigureAwait(false);
        return LedgerJson.Parse<LedgerReply>(await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<SimNode>> GetNodesAsync(CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync("v1/nodes", cancellationToken).ConfigureAwait(false);
        var nodes = json?["nodes"] as JsonArray ?? json as JsonArray ?? [];
        return nodes.OfType<JsonObject>().Select(n => new SimNode(Str(n, "name"), Str(n, "kind"), Str(n, "address"), Str(n, "state"))).ToArray();
    }

    /// <summary>
    /// GET /v1/settings: the simulator's own settings (docs/simulator.md), or null with a one-line reason when it has
    /// none to give (an older simulator answers 404) or did not answer.
    /// </summary>
    public async Task<(SimSettings? Settings, string? Error)> GetSettingsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var json = await GetJsonAsync("v1/settings", cancellationToken).ConfigureAwait(false);
            var cooldown = json?["resendCooldownMs"] is JsonValue v && v.TryGetValue<double>(out var ms) && ms >= 0
                ? TimeSpan.FromMilliseconds(ms)
                : (TimeSpan?)null;
            return (new SimSettings(cooldown), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>GET /v1/risk: the issuer's risk rules in force, every field (docs/simulator.md "Risk controls").</summary>
    public async Task<string> GetRiskAsync(CancellationToken cancellationToken)
    {
        using var reply = await _http.GetAsync("v1/risk", cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "GET /v1/risk", cancellationToken).ConfigureAwait(false);
        return await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT /v1/risk: replaces the risk rules; returns them as the simulator now has them.</summary>
    public async Task<string> SetRiskAsync(string riskJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(riskJson, Encoding.UTF8, "application/json");
        using var reply = await _http.PutAsync("v1/risk", content, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "PUT /v1/risk", cancellationToken).ConfigureAwait(false);
        return await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The names of the fault rules in force (<c>GET /v1/faults</c>).</summary>
    public async Task<IReadOnlyList<string>> GetFaultNamesAsync(CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync("v1/faults", cancellationToken).ConfigureAwait(false);
        return (json?["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => Str(r, "name")).Where(n => n.Length > 0).ToArray();
    }

    public async Task ApplyFaultAsync(JsonObject rule, CancellationToken cancellationToken)
    {
        using var content = new StringContent(rule.ToJsonString(), Encoding.UTF8, "application/json");
        using var reply = await _http.PostAsync("v1/faults", content, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "POST /v1/faults", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The simulator's risk rules in force (<c>GET /v1/risk</c>, docs/simulator.md "Risk controls").</summary>
    public async Task<JsonObject> GetRiskObjectAsync(CancellationToken cancellationToken) =>
        await GetJsonAsync("v1/risk", cancellationToken).ConfigureAwait(false) as JsonObject ?? [];

    /// <summary>Replaces the simulator's risk rules (<c>PUT /v1/risk</c>).</summary>
    public async Task SetRiskAsync(JsonObject rules, CancellationToken cancellationToken)
    {
        using var content = new StringContent(rules.ToJsonString(), Encoding.UTF8, "application/json");
        using var reply = await _http.PutAsync("v1/risk", content, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "PUT /v1/risk", cancellationToken).ConfigureAwait(false);
    }

    public async Task ClearFaultAsync(string? name, CancellationToken cancellationToken)
    {
        var path = name is null ? "v1/faults" : $"v1/faults?name={Uri.EscapeDataString(name)}";
        using var reply = await _http.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        if (name is not null && reply.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The fault engine already expired the rule at the end of its "duration": the goal is met.
            return;
        }

        await EnsureAsync(reply, "DELETE /v1/faults", cancellationToken).ConfigureAwait(false);
    }

    public async Task SetNodeStateAsync(string node, string action, CancellationToken cancellationToken)
    {
        using var reply = await _http.PostAsync($"v1/nodes/{Uri.EscapeDataString(node)}/{action}", null, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, $"POST /v1/nodes/{node}/{action}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when reachable, else a one-line reason (checked before anything starts).</summary>
    public async Task<string?> CheckReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(3));
            using var reply = await _http.GetAsync("v1/stats", cts.Token).ConfigureAwait(false);
            return reply.IsSuccessStatusCode ? null : $"simulator {BaseUri}: GET /v1/stats answered {(int)reply.StatusCode}{Redirect.Describe(reply)}";
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return $"simulator {BaseUri}: unreachable ({(ex is OperationCanceledException ? "no answer in 3 s" : ex.Message)})";
        }
    }

    public void Dispose() => _http.Dispose();

    internal static long Long(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var p) => p,
        _ => 0,
    };

    private static string Str(JsonObject o, string name) =>
        o[name] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : string.Empty;

    private static async Task EnsureAsync(HttpResponseMessage reply, string what, CancellationToken cancellationToken)
    {
        if (!reply.IsSuccessStatusCode)
        {
            var body = await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new PlanException($"{what}: the simulator answered {(int)reply.StatusCode}: {FirstLine(body)}");
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }

    private async Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var reply = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(reply, "GET /" + path.Split('?')[0], cancellationToken).ConfigureAwait(false);
        return await reply.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false);
    }
}
