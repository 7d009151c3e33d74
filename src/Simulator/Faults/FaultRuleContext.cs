namespace PaySim.Simulator.Faults;

/// <summary>
/// The nodes and methods a rule may name. The host builds it from its real topology so that a
/// rule naming "issuer-4" on a three-node simulator is refused instead of silently never firing.
/// </summary>
public sealed class FaultRuleContext
{
    public static readonly IReadOnlyList<string> IssuerMethods =
        ["StartBinding", "ConfirmBinding", "ResendOtp", "Authorize", "Capture", "Refund"];

    public static readonly IReadOnlyList<string> SmsMethods = ["Send"];

    public const string DefaultSmsNode = "sms";

    public FaultRuleContext(IEnumerable<string> nodes, IEnumerable<string>? methods = null)
    {
        Nodes = nodes.Distinct(StringComparer.Ordinal).ToArray();
        Methods = (methods ?? IssuerMethods.Concat(SmsMethods)).Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Nodes { get; }

    public IReadOnlyList<string> Methods { get; }

    /// <summary>issuer-1..issuer-N plus the SMS gateway, with every Issuer and SMS method.</summary>
    public static FaultRuleContext ForIssuers(int issuerNodes, string smsNode = DefaultSmsNode) =>
        new(Enumerable.Range(1, issuerNodes).Select(i => $"issuer-{i}").Append(smsNode));

    /// <summary>"*", an exact node name, or a prefix ending in "*" ("issuer-*").</summary>
    public static bool NodeMatches(string pattern, string node) =>
        pattern == "*"
        || string.Equals(pattern, node, StringComparison.Ordinal)
        || (pattern.EndsWith('*') && node.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal));

    public bool IsKnownNodePattern(string pattern) => Nodes.Any(n => NodeMatches(pattern, n));

    public bool IsKnownMethod(string method) => method == "*" || Methods.Contains(method, StringComparer.Ordinal);
}
