using System.Text;
using PaySim.Simulator.Control;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// The fault part of the control plane as JSON over HTTP: GET/POST/DELETE /v1/faults,
/// GET /v1/profiles, POST /v1/profiles/{name}, GET /v1/journal. A bad rule is a 400 with one
/// line naming every bad field; nothing of that request is applied.
/// </summary>
internal static class FaultHttpEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SimulatorFaults faults)
    {
        app.MapGet("/v1/faults", () => Rules(faults.List()));

        app.MapPost("/v1/faults", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            try
            {
                return Rules(faults.Apply(body));
            }
            catch (FaultRuleException e)
            {
                return Error(400, e.Message);
            }
        }).TakesBody();

        // Only a bare DELETE clears every rule: an empty or misspelt name is refused, never taken as "all".
        app.MapDelete("/v1/faults", (HttpRequest request) =>
        {
            string? name = null;
            if (request.Query.TryGetValue("name", out var names))
            {
                name = names.ToString();
                if (names.Count != 1 || name.Length == 0)
                {
                    return Error(400, "name: must be one rule name; leave name out (a bare DELETE /v1/faults) to clear every rule");
                }
            }

            try
            {
                return Rules(faults.Clear(name));
            }
            catch (KeyNotFoundException e)
            {
                return Error(404, e.Message);
            }
        }).Query("name");

        app.MapGet("/v1/profiles", () => Results.Json(new { profiles = FaultProfiles.Names() }, ControlHttpEndpoints.Json));

        app.MapPost("/v1/profiles/{name}", (string name) =>
        {
            try
            {
                return Rules(faults.LoadProfile(name));
            }
            catch (FaultRuleException e)
            {
                return Error(400, e.Message);
            }
        });

        app.MapGet("/v1/journal", () => Results.Json(
            new
            {
                enabled = faults.Engine.Journal.Enabled,
                capacity = faults.Engine.Journal.Capacity,
                written = faults.Engine.Journal.Written,
                calls = faults.Journal(),
            },
            ControlHttpEndpoints.Json));
    }

    // The rules are stored as JSON text; embed them as they are rather than re-serialising.
    private static IResult Rules(PaySim.Contracts.Control.V1.FaultsReply reply) =>
        Results.Content($"{{\"count\":{reply.Count},\"rules\":{reply.RulesJson}}}", "application/json; charset=utf-8");

    private static IResult Error(int status, string message) => ControlHttpEndpoints.Error(status, message);
}
