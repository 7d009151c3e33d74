using InboxService = PaySim.Contracts.Sms.V1.Inbox;
using IssuerService = PaySim.Contracts.Issuer.V1.Issuer;
using SmsGatewayService = PaySim.Contracts.Sms.V1.SmsGateway;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// The nodes a rule may name and the methods each of them serves. The host builds it from its real
/// topology so that a rule naming "issuer-4" on a three-node simulator, or "Send" on an issuer node,
/// is refused instead of silently never firing. The engine indexes every listed method by its own
/// name, so its faults are counted on that method's row of the stats.
/// </summary>
public sealed class FaultRuleContext
{
    // Read from the contracts, so a method added to a service is a fault target (and counted by
    // name) without anyone remembering to list it here.

    /// <summary>paysim.issuer.v1.Issuer, served by every issuer node.</summary>
    public static readonly IReadOnlyList<string> IssuerMethods = Names(IssuerService.Descriptor);

    /// <summary>paysim.sms.v1.SmsGateway, served by the SMS node.</summary>
    public static readonly IReadOnlyList<string> SmsMethods = Names(SmsGatewayService.Descriptor);

    /// <summary>paysim.sms.v1.Inbox (the test-side view of delivered messages), served by the SMS node too.</summary>
    public static readonly IReadOnlyList<string> InboxMethods = Names(InboxService.Descriptor);

    /// <summary>Everything the SMS node serves: the gateway's methods, then the inbox's.</summary>
    public static readonly IReadOnlyList<string> SmsNodeMethods = [.. SmsMethods, .. InboxMethods];

    public const string DefaultSmsNode = "sms";

    private readonly Dictionary<string, string[]> _methodsByNode;

    /// <param name="nodes">Node names; the one named <see cref="DefaultSmsNode"/> serves <see cref="SmsNodeMethods"/>, every other one <see cref="IssuerMethods"/>.</param>
    /// <param name="methods">When given, every node serves exactly these instead.</param>
    public FaultRuleContext(IEnumerable<string> nodes, IEnumerable<string>? methods = null)
        : this(ServedBy(nodes, methods?.ToArray()))
    {
    }

    /// <summary>Each node with the methods it serves (short names: "Authorize").</summary>
    public FaultRuleContext(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> methodsByNode)
    {
        _methodsByNode = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var nodes = new List<string>();
        var all = new List<string>();
        foreach (var (node, methods) in methodsByNode)
        {
            if (!_methodsByNode.TryAdd(node, methods.Distinct(StringComparer.Ordinal).ToArray()))
            {
                continue;
            }

            nodes.Add(node);
            all.AddRange(methods);
        }

        Nodes = nodes;
        Methods = all.Distinct(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Every method some node serves, in the order the nodes list them.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>issuer-1..issuer-N serving the Issuer methods, plus the SMS node serving SmsGateway and Inbox.</summary>
    public static FaultRuleContext ForIssuers(int issuerNodes, string smsNode = DefaultSmsNode) =>
        new(Enumerable.Range(1, issuerNodes)
            .Select(i => KeyValuePair.Create($"issuer-{i}", IssuerMethods))
            .Append(KeyValuePair.Create(smsNode, SmsNodeMethods)));

    /// <summary>"*", an exact node name, or a prefix ending in "*" ("issuer-*").</summary>
    public static bool NodeMatches(string pattern, string node) =>
        pattern == "*"
        || string.Equals(pattern, node, StringComparison.Ordinal)
        || (pattern.EndsWith('*') && node.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal));

    public bool IsKnownNodePattern(string pattern) => Nodes.Any(n => NodeMatches(pattern, n));

    /// <summary>"*" or a method some node serves.</summary>
    public bool IsKnownMethod(string method) => method == "*" || Methods.Contains(method, StringComparer.Ordinal);

    /// <summary>The methods served by the nodes <paramref name="nodePattern"/> covers, in <see cref="Methods"/> order.</summary>
    public IReadOnlyList<string> MethodsServedBy(string nodePattern)
    {
        var served = Nodes.Where(n => NodeMatches(nodePattern, n)).SelectMany(n => _methodsByNode[n]).ToHashSet(StringComparer.Ordinal);
        return Methods.Where(served.Contains).ToArray();
    }

    /// <summary>True when a node <paramref name="nodePattern"/> covers serves <paramref name="method"/> ("*" is served by every node).</summary>
    public bool Serves(string nodePattern, string method) =>
        method == "*" || Nodes.Any(n => NodeMatches(nodePattern, n) && _methodsByNode[n].Contains(method, StringComparer.Ordinal));

    private static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> ServedBy(IEnumerable<string> nodes, string[]? methods) =>
        nodes.Select(n => KeyValuePair.Create(n, (IReadOnlyList<string>?)methods ?? (n == DefaultSmsNode ? SmsNodeMethods : IssuerMethods)));

    private static string[] Names(Google.Protobuf.Reflection.ServiceDescriptor service) => service.Methods.Select(m => m.Name).ToArray();
}
