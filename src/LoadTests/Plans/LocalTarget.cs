namespace PaySim.LoadTests.Plans;

/// <summary>
/// Load stays on this machine unless the user says otherwise: every URL the run sends load or control calls to (each
/// wallet instance, the simulator's control plane, the SMS gateway) must be a loopback address (localhost, 127.0.0.0/8,
/// ::1, or 0.0.0.0 and ::, which connect to this host) unless <c>run --allow-remote</c> is given, so a typo or a copied staging plan cannot put a load test on a shared
/// environment. The OTLP collector only receives the run's figures, and is not checked.
/// </summary>
internal static class LocalTarget
{
    public const string Flag = "--allow-remote";

    /// <summary>Loopback, or 0.0.0.0 / :: ("this host": a simulator bound to every interface lists itself so).</summary>
    public static bool IsLocal(Uri uri) =>
        uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var ip) && (ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any)));

    /// <summary>Refuses <paramref name="uri"/> (exit 2, one line naming <paramref name="field"/>) when it is another host and remote targets are not allowed.</summary>
    public static void Check(Uri uri, string field, bool allowRemote)
    {
        if (!allowRemote && !IsLocal(uri))
        {
            throw new PlanException($"{field}: {uri.Host} is not this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0 or ::); load goes to another host only with {Flag}, so that a typo or a copied plan cannot load a shared environment.");
        }
    }
}
