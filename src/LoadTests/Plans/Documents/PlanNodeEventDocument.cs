namespace PaySim.LoadTests.Plans.Documents;

/// <summary>
/// Takes an issuer node down (connection refused) or NOT_SERVING, or crashes or freezes a wallet instance, at
/// "start" for "duration". Exactly one of <see cref="Node"/> and <see cref="Wallet"/>.
/// </summary>
internal sealed class PlanNodeEventDocument
{
    /// <summary>An issuer node, e.g. "issuer-2".</summary>
    public string? Node { get; set; }

    /// <summary>A wallet instance, e.g. "wallet-2" (its X-Served-By name).</summary>
    public string? Wallet { get; set; }

    /// <summary>down or notServing for a node; crash or freeze for a wallet instance.</summary>
    public string? State { get; set; }

    public string? Start { get; set; }

    public string? Duration { get; set; }
}
