using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Qr;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Merchants;
using PaySim.Simulator.Nodes;
using PaySim.Simulator.Observability;

namespace PaySim.Simulator.Control;

/// <summary>The control plane as JSON over HTTP/1.1 (camelCase, numbers as numbers), for curl.</summary>
internal static class ControlHttpEndpoints
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public const int DefaultLedgerLimit = 1_000;

    /// <param name="settings">What this process was started with that a client must plan around (GET /v1/settings).</param>
    /// <param name="seed">The simulator's seed: the merchants of GET /v1/merchants follow from it.</param>
    public static void Map(IEndpointRouteBuilder app, ControlPlane control, SimulatorMetrics metrics, Func<object> endpoints, Func<object> settings, int seed)
    {
        app.MapGet("/", () => Results.Json(endpoints(), Json));
        app.MapGet("/v1/settings", () => Results.Json(settings(), Json));

        app.MapGet("/v1/cardholders", (HttpRequest request) =>
        {
            // An explicit count=0 is no rows, like /v1/ledger's limit=0 (over gRPC 0 is the proto default, 100).
            if (!ControlLimits.TryQueryInt(request, "count", ControlPlane.DefaultCount, 0, ControlPlane.MaxCardholders, out var count, out var error)
                || !ControlLimits.TryQueryInt(request, "offset", 0, 0, int.MaxValue, out var offset, out error))
            {
                return Error(400, error!);
            }

            try
            {
                // Streamed: each row is derived as it is written, so the reply's size does not stay in memory. A client
                // that goes away ends the scan (RequestAborted), however rare the filter.
                var cardholders = control.Cardholders(count, request.Query["persona"].ToString(), request.Query["locale"].ToString(), offset, request.HttpContext.RequestAborted);
                return Results.Json(new { cardholders }, Json);
            }
            catch (ArgumentException e)
            {
                return Error(400, e.Message);
            }
        }).Query("count", "persona", "locale", "offset");

        app.MapGet("/v1/merchants", (HttpRequest request) => Merchants(request, seed)).Query("count", "offset");
        app.MapGet("/v1/stats", () => Results.Json(control.GetStats(), Json));
        app.MapGet("/v1/invariants", () => Results.Json(control.GetInvariants(), Json));
        app.MapGet("/v1/ledger", (HttpRequest request) => Ledger(control, request)).Query("since", "limit");

        // A reset is the whole process's (or cluster's): a parameter such as ?node= would suggest less (none is declared).
        app.MapPost("/v1/reset", () =>
        {
            control.Reset();
            return Results.Json(new { reset = true }, Json);
        });

        app.MapGet("/v1/nodes", () => Results.Json(new { nodes = control.NodeControl.Nodes().Select(ToJson) }, Json));
        app.MapPost("/v1/nodes/{name}/{action}", async (string name, string action) =>
        {
            if (!NodeStateNames.TryParseAction(action, out var state))
            {
                return Error(400, $"action '{action}' is unknown; allowed: down, up, not-serving, serving");
            }

            // serving and not-serving switch only the health of a running node: on a DOWN node they would start its
            // listener, which is what up is for.
            var health = !string.Equals(action, "up", StringComparison.OrdinalIgnoreCase) && state != NodeState.Down;
            if (health && control.NodeControl.Nodes().FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) is { State: NodeState.Down } down)
            {
                return Error(409, $"node {down.Name} is DOWN: {action.ToLowerInvariant()} only switches the health of a running node; bring it up first (POST /v1/nodes/{down.Name}/up)");
            }

            try
            {
                return Results.Json(ToJson(await control.NodeControl.SetNodeStateAsync(name, state).ConfigureAwait(false)), Json);
            }
            catch (KeyNotFoundException e)
            {
                return Error(404, e.Message);
            }
        });

        // HEAD too (uptime and link checkers use it), and any query parameter a scraper adds, like other exporters.
        app.MapMethods("/metrics", [HttpMethods.Get, HttpMethods.Head], async context =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return;
            }

            await metrics.WriteAsync(context.Response.Body, control.GetStats(), control.GetInvariants(), control.NodeControl.Nodes(), context.RequestAborted).ConfigureAwait(false);
        }).AnyQuery();
    }

    /// <summary>GET /v1/merchants?count=&amp;offset=: merchants and their EMVCo QR payloads, the same for the same seed.</summary>
    private static IResult Merchants(HttpRequest request, int seed)
    {
        if (!ControlLimits.TryQueryInt(request, "count", MerchantCatalog.DefaultCount, 1, MerchantCatalog.MaxCount, out var count, out var error)
            || !ControlLimits.TryQueryInt(request, "offset", 0, 0, MerchantCatalog.MaxOffset, out var offset, out error))
        {
            return Error(400, error!);
        }

        var merchants = new MerchantCatalog(seed).Generate(count, offset).Select(m => new
        {
            merchantId = m.MerchantId,
            name = m.Name,
            city = m.City,
            currency = m.CurrencyNumeric,
            amountMinor = m.AmountMinor,
            qr = EmvQr.Build(m),
        }).ToList();
        return Results.Json(new { merchants }, Json);
    }

    /// <summary>GET /v1/ledger?since=&amp;limit=: limit defaults to <see cref="DefaultLedgerLimit"/> here (0 over gRPC means the head only).</summary>
    private static IResult Ledger(ControlPlane control, HttpRequest request)
    {
        if (!ControlLimits.TryQueryInt(request, "limit", DefaultLedgerLimit, 0, ControlPlane.MaxLedgerLimit, out var limit, out var error))
        {
            return Error(400, $"{error} (0 = no rows, only the head cursor)");
        }

        try
        {
            return Results.Json(control.GetLedger(new GetLedgerRequest { Since = request.Query["since"].ToString(), Limit = limit }), Json);
        }
        catch (ArgumentException e)
        {
            return Error(400, e.Message);
        }
        catch (LedgerCursorException e)
        {
            return Error(e.Stale ? 409 : 400, e.Message);
        }
    }

    public static object ToJson(NodeStatus n) => new { name = n.Name, kind = n.Kind, address = n.Address, state = NodeStateNames.Name(n.State) };

    /// <summary>Every control error: <c>{"error": "one line"}</c>, at most <see cref="ControlLimits.MaxErrorLine"/> characters.</summary>
    public static IResult Error(int status, string message) => Results.Json(new { error = ControlLimits.Line(message) }, Json, statusCode: status);
}
