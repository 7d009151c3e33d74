namespace PaySim.Simulator.Control;

/// <summary>
/// Gives routing's own answers the one JSON line every control error carries: its 405 (a known path, another
/// method) names the methods of its Allow header, which stays as routing set it; its 404 (no route matched the
/// path at all) names the method and path and where the routes are listed. A 404 an endpoint wrote itself (no
/// such rule, card, …) has its own line and is left alone.
/// </summary>
internal static class ControlRoutingErrors
{
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.HasStarted)
            {
                return;
            }

            var error = context.Response.StatusCode switch
            {
                StatusCodes.Status405MethodNotAllowed =>
                    $"method {context.Request.Method} is not allowed on {context.Request.Path}; allowed: {context.Response.Headers.Allow}",
                StatusCodes.Status404NotFound when context.GetEndpoint() is null =>
                    $"no route {context.Request.Method} {context.Request.Path}; GET / gives the addresses, docs/simulator.md (Control plane over HTTP) every route",
                _ => null,
            };
            if (error is not null)
            {
                await context.Response.WriteAsJsonAsync(new { error = ControlLimits.Line(error) }, ControlHttpEndpoints.Json).ConfigureAwait(false);
            }
        });
    }
}
