using Microsoft.AspNetCore.Routing;
using PaySim.Contracts.Http;

namespace PaySim.Simulator.Control;

/// <summary>
/// What every HTTP control route refuses before its handler runs, in one place: a query parameter the route does not
/// declare (<see cref="Query{TBuilder}"/>; none declared, none allowed), so a misspelt or unsupported filter never
/// widens what a call does (<c>POST /v1/profiles/sms-late?node=issuer-1</c> would apply to every node), and a
/// compressed body (<c>Content-Encoding</c>), which would be read as plain text. Both are one JSON line, 400 and 415,
/// and nothing of the request is applied.
/// </summary>
internal static class ControlRequestChecks
{
    /// <summary>
    /// The group every control route is mapped in: the checks apply to its routes only (not routing's own 404/405).
    /// Each GET route also answers HEAD, as GET without the body (a load balancer's health check), not routing's 405.
    /// </summary>
    public static RouteGroupBuilder Routes(WebApplication app) =>
        app.MapGroup(string.Empty).WithMetadata(ControlRoute.Instance).AnswerHeadOnGet();

    /// <summary>Declares the query parameters a route reads; any other is a 400 naming it and these.</summary>
    public static TBuilder Query<TBuilder>(this TBuilder builder, params string[] names) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowedQuery(names));

    /// <summary>
    /// A route that takes any query parameter and reads none: /metrics, which scrapers call with their own parameters
    /// (Prometheus' <c>params:</c>), as other exporters allow.
    /// </summary>
    public static TBuilder AnyQuery<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowedQuery(null));

    /// <summary>
    /// Declares that a route reads a request body (<c>POST /v1/faults</c>, <c>PUT /v1/risk</c>). Every other route that
    /// changes something (POST, PUT, DELETE) refuses a non-empty body with a 400, so a body meant as options (a JSON
    /// document sent to <c>POST /v1/nodes/issuer-1/down</c>) is never silently ignored.
    /// </summary>
    public static TBuilder TakesBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(BodyRoute.Instance);

    /// <summary>True for a route declared with <see cref="TakesBody"/>.</summary>
    public static bool ReadsBody(Endpoint endpoint) => endpoint.Metadata.GetMetadata<BodyRoute>() is not null;

    /// <summary>True for a route declared with <see cref="AnyQuery"/>.</summary>
    public static bool TakesAnyQuery(Endpoint endpoint) => endpoint.Metadata.GetMetadata<AllowedQuery>() is { Names: null };

    /// <summary>The parameters a route declared (empty when it declared none).</summary>
    public static IReadOnlyList<string> AllowedParameters(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<AllowedQuery>()?.Names ?? [];

    /// <summary>True for a route mapped in <see cref="Routes"/>.</summary>
    public static bool IsControlRoute(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<ControlRoute>() is not null;

    public static void Use(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (!IsControlRoute(endpoint))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (!TakesAnyQuery(endpoint!) && !ControlLimits.TryCheckQuery(context.Request, out var error, [.. AllowedParameters(endpoint!)]))
            {
                await ControlHttpEndpoints.Error(StatusCodes.Status400BadRequest, error!).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            var encoding = context.Request.Headers.ContentEncoding.ToString();
            if (!HttpConventions.IsIdentityEncoding(context.Request.Headers.ContentEncoding))
            {
                await ControlHttpEndpoints.Error(StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{encoding}' is not supported; send the body uncompressed (no Content-Encoding)").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            if (!ReadsBody(endpoint!) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && await HasBodyAsync(context.Request).ConfigureAwait(false))
            {
                await ControlHttpEndpoints.Error(StatusCodes.Status400BadRequest, $"this route takes no body: send {context.Request.Method} {context.Request.Path} without one (nothing was applied)").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    // A Content-Length over 0, or a chunked body with at least one byte (an empty chunked body is no body).
    private static async Task<bool> HasBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return false;
        }

        var one = new byte[1];
        return await request.Body.ReadAsync(one, request.HttpContext.RequestAborted).ConfigureAwait(false) > 0;
    }

    /// <summary>The query parameters a route reads; null: any is taken (and none read).</summary>
    private sealed record AllowedQuery(string[]? Names);

    private sealed class ControlRoute
    {
        public static readonly ControlRoute Instance = new();
    }

    private sealed class BodyRoute
    {
        public static readonly BodyRoute Instance = new();
    }
}
