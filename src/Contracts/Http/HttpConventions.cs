using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace PaySim.Contracts.Http;

/// <summary>
/// HTTP rules the simulator's control plane and the wallet apply alike, declared once: a GET route answers HEAD, and a
/// Content-Encoding of only <c>identity</c> is no encoding. Public in the shared assembly, as <c>HumanDuration</c> is,
/// so both servers (and their tests, which see their internals) use one copy.
/// </summary>
public static class HttpConventions
{
    /// <summary>
    /// Each GET route of <paramref name="builder"/> also answers HEAD, as GET without the body (a load balancer's health
    /// check, an uptime checker), not routing's 405. Routing reads the last method metadata; the server sends no body for HEAD.
    /// </summary>
    public static TBuilder AnswerHeadOnGet<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
                && methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
                && !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head]));
            }
        });
        return builder;
    }

    /// <summary>True when every coding listed is <c>identity</c> (any letter case, however often: "identity, identity", or the header twice), or none is.</summary>
    public static bool IsIdentityEncoding(StringValues contentEncoding) =>
        contentEncoding.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .All(c => string.Equals(c, "identity", StringComparison.OrdinalIgnoreCase));
}
