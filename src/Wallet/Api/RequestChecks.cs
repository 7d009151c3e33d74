using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using PaySim.Contracts.Http;
using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Api;

/// <summary>
/// What every wallet route refuses before its handler runs, in one place (docs/wallet.md, "Requests"): a query
/// parameter the route does not declare (<see cref="Query{TBuilder}"/>; none declared, none allowed), so
/// <c>?offset=5</c> is not silently ignored; a compressed body (<c>Content-Encoding</c> other than <c>identity</c>),
/// which would be parsed as JSON; a body on a GET, which would be ignored; and a body whose <c>Content-Type</c> is not
/// JSON. Each is one JSON error line (400, 415, 400, 415) and nothing of the request is done. The checks apply to the routes mapped in <see cref="Routes"/> (not to routing's own 404/405).
/// </summary>
internal static class RequestChecks
{
    /// <summary>What a body's Content-Type may be, for the messages.</summary>
    public const string AllowedContentTypes = "application/json (optionally with charset=utf-8), or a +json type such as application/problem+json; or no Content-Type";

    /// <summary>
    /// The group every wallet route is mapped in. Each GET route also answers HEAD, as GET without the body (a load
    /// balancer's health check, an uptime checker), not routing's 405.
    /// </summary>
    public static RouteGroupBuilder Routes(IEndpointRouteBuilder app) =>
        app.MapGroup(string.Empty).WithMetadata(WalletRoute.Instance).AnswerHeadOnGet();

    /// <summary>Declares the query parameters a route reads; any other is a 400 naming it and these (and <paramref name="note"/>).</summary>
    public static TBuilder Query<TBuilder>(this TBuilder builder, string? note, params string[] names)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowedQuery(names, note));

    /// <summary>
    /// A route that takes any query parameter and reads none: /metrics, which scrapers call with their own parameters
    /// (Prometheus' <c>params:</c>), as the simulator's /metrics does.
    /// </summary>
    public static TBuilder AnyQuery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowedQuery(null, null));

    /// <summary>Throws the one error for a request its route refuses; does nothing for a request outside <see cref="Routes"/>.</summary>
    public static async Task CheckAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<WalletRoute>() is null)
        {
            return;
        }

        CheckQuery(context.Request, endpoint.Metadata.GetMetadata<AllowedQuery>() ?? AllowedQuery.None);
        CheckEncoding(context.Request);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            // A GET reads no body: one sent (filters meant as JSON) would be silently ignored, so it is refused, as the
            // simulator's control plane refuses a body on a route that reads none.
            if (await HasBodyAsync(context.Request))
            {
                throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest,
                    $"{Echo.Plain(context.Request.Method)} {Echo.Plain(context.Request.Path.ToString())} takes no body: send it without one (query parameters, where the route reads any, go in the URL)"));
            }

            return;
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0)
        {
            CheckContentType(context.Request);
        }
    }

    // A Content-Length over 0, or a chunked body with at least one byte (an empty chunked body is no body).
    private static async Task<bool> HasBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return false;
        }

        var one = new byte[1];
        return await request.Body.ReadAsync(one, request.HttpContext.RequestAborted) > 0;
    }

    private static void CheckQuery(HttpRequest request, AllowedQuery allowed)
    {
        if (allowed.Names is not { } names)
        {
            return;
        }

        foreach (var key in request.Query.Keys)
        {
            if (!names.Contains(key, StringComparer.Ordinal))
            {
                var list = names.Length == 0 ? "none" : string.Join(", ", names);
                var note = allowed.Note is null ? string.Empty : "; " + allowed.Note;
                throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest,
                    $"query parameter {Echo.Quoted(key)} is not read here; allowed: {list}{note}"));
            }

            // ?limit=1&limit=2: which one counts? Neither: one line saying so, not a range error about a value in range.
            if (request.Query[key].Count > 1)
            {
                throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest,
                    $"query parameter {Echo.Quoted(key)} is given {request.Query[key].Count} times; give it once"));
            }
        }
    }

    private static void CheckEncoding(HttpRequest request)
    {
        // As the simulator's control plane answers (ControlRequestChecks): identity is no encoding at all.
        if (!HttpConventions.IsIdentityEncoding(request.Headers.ContentEncoding))
        {
            var encoding = request.Headers.ContentEncoding.ToString();
            throw new WalletException(new WalletError(415, ErrorCodes.UnsupportedMediaType,
                $"Content-Encoding {Echo.Quoted(encoding)} is not supported; send the body uncompressed (no Content-Encoding)"));
        }
    }

    private static void CheckContentType(HttpRequest request)
    {
        var raw = request.Headers.ContentType.ToString();
        if (raw.Length == 0 || IsJson(raw))
        {
            return;
        }

        var hint = raw.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            ? " (curl -d sends application/x-www-form-urlencoded: add -H 'content-type: application/json')"
            : string.Empty;
        throw new WalletException(new WalletError(415, ErrorCodes.UnsupportedMediaType,
            $"Content-Type {Echo.Quoted(raw)} is not accepted; the body must be JSON: {AllowedContentTypes}{hint}"));
    }

    // application/json or type/x+json, with no parameter but charset=utf-8 (any letter case, quoted or not).
    private static bool IsJson(string raw)
    {
        var parts = raw.Split(';', StringSplitOptions.TrimEntries);
        var media = parts[0];
        var slash = media.IndexOf('/', StringComparison.Ordinal);
        var json = string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
            || (slash > 0 && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase) && media.Length > slash + "+json".Length + 1);
        return json && parts.Skip(1).Where(p => p.Length > 0).All(IsUtf8Charset);
    }

    private static bool IsUtf8Charset(string parameter)
    {
        var at = parameter.IndexOf('=', StringComparison.Ordinal);
        return at > 0
            && string.Equals(parameter[..at].Trim(), "charset", StringComparison.OrdinalIgnoreCase)
            && string.Equals(parameter[(at + 1)..].Trim().Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The query parameters a route reads (null: any is taken, none read) and a note for the refusal.</summary>
    private sealed record AllowedQuery(string[]? Names, string? Note)
    {
        /// <summary>A route that declares none takes none (one instance, not one per request).</summary>
        public static readonly AllowedQuery None = new([], null);
    }

    private sealed class WalletRoute
    {
        public static readonly WalletRoute Instance = new();
    }
}
