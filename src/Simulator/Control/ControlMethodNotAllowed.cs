namespace PaySim.Simulator.Control;

/// <summary>
/// Gives routing's 405 (a known path, another method) the one JSON line every control error carries,
/// naming the methods of its Allow header, which stays as routing set it.
/// </summary>
internal static class ControlMethodNotAllowed
{
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode != StatusCodes.Status405MethodNotAllowed || context.Response.HasStarted)
            {
                return;
            }

            var allowed = context.Response.Headers.Allow.ToString();
            await context.Response.WriteAsJsonAsync(
                new { error = ControlLimits.Line($"method {context.Request.Method} is not allowed on {context.Request.Path}; allowed: {allowed}") },
                ControlHttpEndpoints.Json).ConfigureAwait(false);
        });
    }
}
