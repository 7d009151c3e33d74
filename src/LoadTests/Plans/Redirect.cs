namespace PaySim.LoadTests.Plans;

/// <summary>
/// The harness follows no redirect (the wallet and control-plane clients turn it off): a target that answers 3xx would
/// otherwise move the load to a host <see cref="LocalTarget"/> never checked. The refusal says where it pointed.
/// </summary>
internal static class Redirect
{
    /// <summary>" (a redirect to URL; the harness follows none: give that URL itself)" for a 3xx with a Location, else "".</summary>
    public static string Describe(HttpResponseMessage reply) =>
        (int)reply.StatusCode is >= 300 and < 400 && reply.Headers.Location is { } to
            ? $" (a redirect to {to}; the harness follows none: give that URL itself)"
            : string.Empty;
}
