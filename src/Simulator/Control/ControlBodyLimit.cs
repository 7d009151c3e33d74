using Microsoft.AspNetCore.Http.Features;

namespace PaySim.Simulator.Control;

/// <summary>
/// 413 with one JSON line for a control request body over <see cref="ControlLimits.MaxBodyBytes"/>,
/// decided from Content-Length up front or while a chunked body streams in (Kestrel's own limit), so
/// no oversized body is ever buffered and nothing of the request is applied.
/// </summary>
internal static class ControlBodyLimit
{
    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = ControlLimits.MaxBodyBytes;
            }

            if (context.Request.ContentLength > ControlLimits.MaxBodyBytes)
            {
                await TooLarge(context).ConfigureAwait(false);
                return;
            }

            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
            {
                await TooLarge(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // The web server's other refusals while the body streams in (408 a stalled body, 400 a broken chunk):
                // one JSON line like every control error, not an empty reply.
                context.Response.StatusCode = e.StatusCode;
                context.Response.Headers.Connection = "close";
                await context.Response.WriteAsJsonAsync(new { error = ControlLimits.Line(BodyError(e)) }, ControlHttpEndpoints.Json).ConfigureAwait(false);
            }
        });
    }

    private static string BodyError(BadHttpRequestException e) => e.StatusCode == StatusCodes.Status408RequestTimeout
        ? "request body timed out: it stalled or arrived slower than the web server's minimum rate (240 bytes/s after 5 s); send the whole body at once (nothing was applied)"
        : $"request body could not be read: {e.Message.TrimEnd('.')} (nothing was applied)";

    private static Task TooLarge(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        // The rest of the body is not read; close rather than drain it.
        context.Response.Headers.Connection = "close";
        return context.Response.WriteAsJsonAsync(new { error = $"request body is over the limit of {ControlLimits.MaxBodyBytes} bytes (1 MiB)" }, ControlHttpEndpoints.Json);
    }
}
