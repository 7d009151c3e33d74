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
            var authorization = context.Request.Headers.Authorization.ToString();
            if (token.Accepts(authorization))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = ControlToken.Refusal(authorization, "'Authorization: Bearer <token>'") }, ControlHttpEndpoints.Json).ConfigureAwait(false);
        });
    }
}
