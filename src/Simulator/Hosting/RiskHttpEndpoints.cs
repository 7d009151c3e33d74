using System.Text;
using PaySim.Simulator.Control;
using PaySim.Simulator.Risk;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// The risk part of the control plane as JSON over HTTP: GET /v1/risk (every field, defaults included) and
/// PUT /v1/risk (replaces the rules; a bad document is a 400 naming every bad field and the rules in force stay).
/// </summary>
internal static class RiskHttpEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RiskControls risk)
    {
        app.MapGet("/v1/risk", () => Rules(risk.Rules));

        app.MapPut("/v1/risk", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            try
            {
                return Rules(risk.Apply(body));
            }
            catch (RiskRuleException e)
            {
                return ControlHttpEndpoints.Error(400, e.Message);
            }
        }).TakesBody();
    }

    private static IResult Rules(RiskRules rules) => Results.Content(rules.ToJson(), "application/json; charset=utf-8");
}
