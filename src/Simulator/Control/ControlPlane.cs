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
    public const int MaxLedgerLimit = 10_000;

    /// <summary>Run on reset after the core state is cleared (the fault engine adds its rule clearing here).</summary>
    public List<Action> ResetHooks { get; } = [];

    /// <summary>Run on every stats snapshot to add counts kept elsewhere (the fault engine's injections).</summary>
    public List<Action<StatsReply>> StatsHooks { get; } = [];

    public INodeControl NodeControl => nodes;

    /// <summary>Throws <see cref="ArgumentException"/> for an unknown persona or locale.</summary>
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

    /// <summary>Run on every invariants read to add counts kept outside the ledger (the engine's declined reattempts).</summary>
    public List<Action<InvariantsReply>> InvariantsHooks { get; } = [];

    public InvariantsReply GetInvariants()
    {
        var reply = ToContract(state.Ledger.Invariants());
        foreach (var hook in InvariantsHooks)
        {
            hook(reply);
        }

        return reply;
    }

    /// <summary>
    /// One page of the issuer's authorizations (GET /v1/ledger, GetLedger). Throws <see cref="ArgumentException"/>
    /// for a bad since or limit and <see cref="LedgerCursorException"/> for a cursor it cannot read from.
    /// </summary>
    public LedgerReply GetLedger(GetLedgerRequest request)
    {
        if (request.Limit is < 0 or > MaxLedgerLimit)
        {
            throw new ArgumentException($"limit must be 0 to {MaxLedgerLimit} (0 = no rows, only the head cursor); got {request.Limit}");
        }

        LedgerCursor? since = null;
        if (!string.IsNullOrEmpty(request.Since))
        {
            since = LedgerCursor.TryParse(request.Since, out var cursor)
                ? cursor
                : throw new ArgumentException($"since must be a nextCursor from an earlier ledger reply, or empty to read from the last reset; got '{Shorten(request.Since)}'");
        }

        var page = state.Ledger.ReadPage(since, request.Limit);
        var reply = new LedgerReply { NextCursor = page.Next.ToString(), More = page.More };
        reply.Entries.Capacity = page.Rows.Count;
        foreach (var row in page.Rows)
        {
            reply.Entries.Add(ToContract(row));
        }

        return reply;
    }

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
            ReleasedMinor = i.ReleasedMinor,
        };
        reply.Violations.AddRange(i.Violations);
        return reply;
    }

    private LedgerEntry ToContract(LedgerRow r) => new()
    {
        Sequence = r.Sequence,
        AuthorizationId = r.AuthorizationId,
        Pan = r.Pan,
        CardToken = r.CardToken,
        MerchantId = r.MerchantId,
        OrderReference = r.OrderReference,
        IdempotencyKey = r.IdempotencyKey,
        // The ledger keeps no currency: a card has one, and the hold was refused in any other.
        Currency = state.Cardholders.FindByPan(r.Pan)?.Currency ?? "",
        AuthorizedMinor = r.AuthorizedMinor,
        CapturedMinor = r.CapturedMinor,
        ReleasedMinor = r.ReleasedMinor,
        RefundedMinor = r.RefundedMinor,
        State = r.State,
        Node = r.Node,
        CreatedUnixMs = r.CreatedUnixMs,
    };

    private static string Shorten(string text) => text.Length <= 48 ? text : text[..48] + "...";
}
