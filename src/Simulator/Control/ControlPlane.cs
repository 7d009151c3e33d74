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

    /// <summary>
    /// The most cardholders one list answers (page on with offset). GET /v1/cardholders streams its rows, but a
    /// gRPC reply is one message built whole: an unbounded count would grow the process with it, whatever
    /// --cardholders is. 100,000 covers a load plan's largest ask (preboundCards 10,000 × 2 × its shards).
    /// </summary>
    public const int MaxCardholders = 100_000;

    /// <summary>
    /// The most cardholders one gRPC ListCardholders reply holds: a row is at most ~210 bytes, so 10,000 stay near
    /// 2 MB, inside the 4 MB a default gRPC client (grpc-dotnet, grpcurl) accepts; 100,000 would be refused by the
    /// client as RESOURCE_EXHAUSTED after the server built it. StreamCardholders sends up to <see cref="MaxCardholders"/>.
    /// </summary>
    public const int MaxCardholdersPerReply = 10_000;

    /// <summary>Run on reset after the core state is cleared (the fault engine adds its rule clearing here).</summary>
    public List<Action> ResetHooks { get; } = [];

    /// <summary>Run on every stats snapshot to add counts kept elsewhere (the fault engine's injections).</summary>
    public List<Action<StatsReply>> StatsHooks { get; } = [];

    public INodeControl NodeControl => nodes;

    /// <summary>
    /// One gRPC reply: throws <see cref="ArgumentException"/> for an unknown persona or locale, a count outside
    /// 0..<see cref="MaxCardholdersPerReply"/> (0 = <see cref="DefaultCount"/>, the proto default) or a negative offset.
    /// </summary>
    public ListCardholdersReply ListCardholders(ListCardholdersRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Count is < 0 or > MaxCardholdersPerReply)
        {
            throw new ArgumentException($"count must be 0 to {MaxCardholdersPerReply} in one reply, to fit gRPC's default 4 MB message (0 = {DefaultCount}; page on with offset, or StreamCardholders for up to {MaxCardholders}); got {request.Count}");
        }

        var reply = new ListCardholdersReply();
        reply.Cardholders.AddRange(StreamedCardholders(request, cancellationToken));
        return reply;
    }

    /// <summary>
    /// gRPC StreamCardholders: the rows derived one by one as they are sent. Throws <see cref="ArgumentException"/> at
    /// once for an unknown persona or locale, a count outside 0..<see cref="MaxCardholders"/> (0 = <see cref="DefaultCount"/>)
    /// or a negative offset.
    /// </summary>
    public IEnumerable<Cardholder> StreamedCardholders(ListCardholdersRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Count is < 0 or > MaxCardholders)
        {
            throw new ArgumentException($"count must be 0 to {MaxCardholders} (0 = {DefaultCount}; page on with offset); got {request.Count}");
        }

        if (request.Offset < 0)
        {
            throw new ArgumentException($"offset must be 0 or more; got {request.Offset}");
        }

        return Cardholders(request.Count > 0 ? request.Count : DefaultCount, request.Persona, request.Locale, request.Offset, cancellationToken);
    }

    /// <summary>
    /// The cardholders of a list, derived one by one as they are read (GET /v1/cardholders streams them). Throws
    /// <see cref="ArgumentException"/> at once for an unknown persona or locale or a count outside 0..<see cref="MaxCardholders"/>.
    /// </summary>
    public IEnumerable<Cardholder> Cardholders(int count, string? persona, string? locale, int offset, CancellationToken cancellationToken = default)
    {
        if (count is < 0 or > MaxCardholders)
        {
            throw new ArgumentException($"count must be 0 to {MaxCardholders}; got {count}");
        }

        return state.Cardholders.List(count, persona, locale, offset, cancellationToken).Select(CardholderMapper.ToContract);
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
