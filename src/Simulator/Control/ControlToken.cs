using System.Security.Cryptography;
using System.Text;

namespace PaySim.Simulator.Control;

/// <summary>
/// The bearer token every control call must carry when --control-token is set, so a shared
/// simulator cannot be reconfigured by anyone who can reach it. Compared in constant time.
/// </summary>
internal sealed class ControlToken(string? token)
{
    public const string Scheme = "Bearer ";

    private readonly byte[]? _expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);

    public bool Required => _expected is not null;

    /// <summary>
    /// Why a call with these Authorization values is refused, one line, or null when it is accepted (no token configured,
    /// or exactly one value <c>Bearer &lt;token&gt;</c>; the scheme in any letter case, RFC 9110 §11.1). No token sent
    /// is <c>required</c>, the header sent more than once says so, and a token that does not match is never echoed, so a
    /// log or a reply cannot leak what was tried. <paramref name="how"/> says how to send it on this transport.
    /// </summary>
    public string? Refusal(IReadOnlyList<string?> authorization, string how)
    {
        if (_expected is null)
        {
            return null;
        }

        // A header sent twice may arrive as two values or folded into one, "Bearer a, Bearer b" (as HTTP/2 clients and
        // proxies combine a repeated field): a token has no whitespace, so a credential with ", Bearer " is two. An empty
        // value counts as a header sent: "Bearer s3cret" beside an empty Authorization is the header twice, not once.
        var sent = authorization.Where(v => v is not null).SelectMany(v => v!.Length == 0 ? [v] : Unfold(v)).ToList();
        if (sent.Count > 1)
        {
            return $"control token: the authorization header was sent {sent.Count} times; send it once: {how}";
        }

        if (sent.Count == 0 || sent[0]!.Length == 0)
        {
            return $"control token required: send {how} (the simulator runs with --control-token)";
        }

        return Matches(sent[0]!)
            ? null
            : $"control token does not match: send {how} with the token the simulator was started with (--control-token)";
    }

    // An empty part is an empty header folded in ("Bearer a, " over gRPC): a bearer token (RFC 6750 b64token) has no comma.
    private static IEnumerable<string> Unfold(string? value)
    {
        var parts = value!.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length > 1 && parts.All(p => p.Length == 0 || p.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) ? parts : [value];
    }

    // "Bearer <token>": the scheme case-insensitive, then one or more spaces, then the token compared in constant time.
    private bool Matches(string value)
    {
        if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var credentials = value[Scheme.Length..].TrimStart(' ');
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(credentials), _expected);
    }
}
