using PaySim.LoadTests.Reconciliation;
using PaySim.Contracts.Control.V1;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Tests.Reconciliation;

/// <summary>Hand-made views for the reconciler: one builder per view, amounts in minor units, times in ms.</summary>
internal sealed class Views
{
    private readonly List<AppCall> _app = [];
    private readonly List<RunCard> _cards = [];
    private readonly Dictionary<string, List<WalletTransaction>> _wallet = new(StringComparer.Ordinal);
    private readonly List<LedgerEntry> _issuer = [];

    public bool WalletReadable { get; set; } = true;

    public bool IssuerReadable { get; set; } = true;

    public static string Pan(int card) => "62220200000" + card.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    public static string User(int card) => $"u{card}";

    public Views Card(int card)
    {
        _cards.Add(new RunCard(new WalletUser(User(card), "token", "138", "258147"), Pan(card)));
        _wallet.TryAdd(User(card), []);
        return this;
    }

    /// <summary>A payment attempt the app made; a 2xx carries the wallet's payment id "p-KEY".</summary>
    public Views Pay(int card, string key, long amount, int status, long atMs = 1_000, string? orderReference = null, string? code = null)
    {
        var outcome = AppCall.Classify(status, code ?? (status == 0 ? "timeout" : null));
        _app.Add(new AppCall(false, User(card), Pan(card), key, orderReference ?? key, "shop", amount, status is >= 200 and < 300 ? "p-" + key : null,
            outcome, status, code, "wallet-1", atMs, atMs + 50));
        return this;
    }

    /// <summary>One of a double tap's two requests (client.doubleTap), sent at <paramref name="atMs"/> and answered at <paramref name="endMs"/>; a 2xx carries <paramref name="paymentId"/>.</summary>
    public Views Tap(int card, string key, long amount, int status, string? paymentId = null, string? code = null, long atMs = 1_000, long endMs = 1_050) =>
        Add(new AppCall(false, User(card), Pan(card), key, key, "shop", amount, status is >= 200 and < 300 ? paymentId ?? "p-" + key : null,
            AppCall.Classify(status, code), status, code, "wallet-1", atMs, endMs, DoubleTap: true));

    public Views AppRefund(int card, string paymentKey, long amount, int status) =>
        Add(new AppCall(true, User(card), Pan(card), paymentKey + "-refund", paymentKey, "shop", amount, "p-" + paymentKey,
            AppCall.Classify(status, null), status, null, "wallet-2", 2_000, 2_050));

    /// <summary>An issuer row: held when nothing was captured or released.</summary>
    public Views Row(int card, long amount, long captured = -1, long released = 0, long refunded = 0, string orderReference = "", string issuerKey = "", long atMs = 1_010)
    {
        var cap = captured < 0 ? amount : captured;
        var state = refunded > 0 ? (refunded == cap ? "refunded" : "partially_refunded") : cap > 0 ? "captured" : released > 0 ? "released" : "held";
        _issuer.Add(new LedgerEntry
        {
            Sequence = _issuer.Count + 1, AuthorizationId = $"auth_{_issuer.Count + 1:D10}", Pan = Pan(card), MerchantId = "shop", OrderReference = orderReference,
            IdempotencyKey = issuerKey, AuthorizedMinor = amount, CapturedMinor = cap, ReleasedMinor = released, RefundedMinor = refunded, State = state,
            Node = "issuer-1", CreatedUnixMs = atMs,
        });
        return this;
    }

    public Views Tx(int card, string id, string kind, string status, long amount, string? paymentId = null, string? orderReference = null, string? idempotencyKey = null)
    {
        _wallet[User(card)].Add(new WalletTransaction(id, kind, status, amount, paymentId ?? (kind == "payment" ? id : null), orderReference, "shop", idempotencyKey, null));
        return this;
    }

    public ReconciliationViews Build() => new(
        _app.ToArray(),
        _cards.ToArray(),
        WalletReadable ? _wallet.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<WalletTransaction>)kv.Value.ToArray(), StringComparer.Ordinal) : null,
        WalletReadable ? null : "wallet down",
        IssuerReadable ? _issuer.ToArray() : null,
        IssuerReadable ? null : "no ledger");

    /// <summary>The subset of these views that concerns the given cards, as one shard would see them (the issuer's ledger whole).</summary>
    public ReconciliationViews Shard(IReadOnlySet<int> cards)
    {
        var all = Build();
        var pans = cards.Select(Pan).ToHashSet(StringComparer.Ordinal);
        return all with
        {
            App = all.App.Where(c => pans.Contains(c.Pan)).ToArray(),
            Cards = all.Cards.Where(c => pans.Contains(c.Pan)).ToArray(),
            Wallet = all.Wallet?.Where(kv => cards.Any(c => User(c) == kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
    }

    private Views Add(AppCall call)
    {
        _app.Add(call);
        return this;
    }
}
