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

    private readonly byte[]? _expected = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(Scheme + token);

    public bool Required => _expected is not null;

    /// <summary>
    /// Why a call was refused, one line: no token sent (<c>required</c>) or one that does not match (never echoed,
    /// so a log or a reply cannot leak what was tried). <paramref name="how"/> says how to send it on this transport.
    /// </summary>
    public static string Refusal(string? authorization, string how) =>
        string.IsNullOrEmpty(authorization)
            ? $"control token required: send {how} (the simulator runs with --control-token)"
            : $"control token does not match: send {how} with the token the simulator was started with (--control-token)";

    /// <summary>True when no token is configured or the Authorization value is "Bearer &lt;token&gt;".</summary>
    public bool Accepts(string? authorization) =>
        _expected is null
        || (authorization is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), _expected));
}
