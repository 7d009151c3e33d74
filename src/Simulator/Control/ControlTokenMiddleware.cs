namespace PaySim.Simulator.Control;

/// <summary>401 with one JSON line for an HTTP control call without the right bearer token.</summary>
internal static class ControlTokenMiddleware
{
    public static void Use(WebApplication app, ControlToken token)
    {
        if (!token.Required)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            if (token.Refusal([.. context.Request.Headers.Authorization], "'Authorization: Bearer <token>'") is not { } refusal)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = refusal }, ControlHttpEndpoints.Json).ConfigureAwait(false);
        });
    }
}
