using PaySim.Contracts.Control.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Nodes;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Control;

/// <summary>The control plane's operations, served both as gRPC and as JSON over HTTP/1.1.</summary>
internal sealed class ControlPlane(IIssuerState state, SmsGateway sms, CallMetrics metrics, INodeControl nodes)
{
    public const int DefaultCount = 100;

    /// <summary>Run on reset after the core state is cleared (the fault engine adds its rule clearing here).</summary>
    public List<Action> ResetHooks { get; } = [];

    /// <summary>Run on every stats snapshot to add counts kept elsewhere (the fault engine's injections).</summary>
    public List<Action<StatsReply>> StatsHooks { get; } = [];

    public INodeControl NodeControl => nodes;

    /// <summary>Throws <see cref="ArgumentException"/> for an unknown persona.</summary>
    public ListCardholdersReply ListCardholders(ListCardholdersRequest request)
    {
        var count = request.Count > 0 ? request.Count : DefaultCount;
        var reply = new ListCardholdersReply();
        reply.Cardholders.AddRange(state.Cardholders.List(count, request.Persona, request.Locale, request.Offset).Select(CardholderMapper.ToContract));
        return reply;
    }

    public StatsReply GetStats()
    {
        var reply = metrics.Snapshot(nodes.Nodes().Select(n => n.Name));
        foreach (var hook in StatsHooks)
        {
            hook(reply);
        }

        return reply;
    }

    public InvariantsReply GetInvariants() => ToContract(state.Ledger.Invariants());

    public void Reset()
    {
        sms.CancelPending();
        state.Reset();
        metrics.Reset();
        foreach (var hook in ResetHooks)
        {
            hook();
        }
    }

    public static InvariantsReply ToContract(LedgerInvariants i)
    {
        var reply = new InvariantsReply
        {
            DuplicateCharges = i.DuplicateCharges,
            MoneyConserved = i.MoneyConserved,
            InitialTotalMinor = i.InitialTotalMinor,
            BalancesMinor = i.BalancesMinor,
            HeldMinor = i.HeldMinor,
            CapturedMinor = i.CapturedMinor,
            RefundedMinor = i.RefundedMinor,
        };
        reply.Violations.AddRange(i.Violations);
        return reply;
    }
}
