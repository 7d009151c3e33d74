using System.Globalization;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.Simulator.Risk;

namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// Tells a payment decline the run can explain from one it cannot (docs/plans.md, "Declines"). A 402 to a payment is
/// a correct answer only when the cardholder's persona expects a decline, the card is not active, the card's money or
/// daily limit is used up (what the simulator says the card opened with, less what earlier runs and this run may have
/// taken from it), or one of the plan's <c>decline</c> faults on Authorize or Capture was in force. A decline by one of
/// the issuer's risk rules in force (<see cref="RiskCause"/>) is its own cause. Anything else — a healthy pre-bound card
/// with money and limit to spare — is an unexpected decline: a failure of the wallet.
/// </summary>
internal sealed class DeclineJudge
{
    /// <summary>The failure cause of a decline nothing explains (a step's and an iteration's status code).</summary>
    public const string UnexpectedDecline = "unexpected_decline";

    /// <summary>The persona the issuer's riskFlagged rule applies to.</summary>
    public const string RiskFlaggedPersona = "risk-flagged";

    /// <summary>Issuer methods whose declines reach a payment.</summary>
    private static readonly string[] PaymentMethods = ["*", "Authorize", "Capture"];

    /// <summary>How early before its planned start a decline fault may already be in force (the timeline's own clock).</summary>
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Account> _cards;
    private readonly (string Name, string Method, TimeSpan From, TimeSpan? To)[] _declineFaults;
    private readonly TimeSpan _late;
    private readonly bool _faultsAnyTime;
    private readonly TimeProvider _time;
    private readonly RiskRules? _risk;
    private long _start = -1;

    /// <param name="cards">Every card the run pays with.</param>
    /// <param name="earlier">Per PAN, what the issuer's ledger showed taken before the run (none: nothing known).</param>
    /// <param name="faults">The plan's fault rules; their <c>decline</c> rules on Authorize, Capture or <c>*</c> explain declines while in force.</param>
    /// <param name="late">How long after a fault's end a payment's reply may still carry its decline (the app's timeout).</param>
    /// <param name="faultsAnyTime">This agent does not play the timeline (a shard other than 1): its clock cannot place the windows.</param>
    /// <param name="risk">The issuer's risk rules in force for the run (read back from the simulator); null when unknown, then every risk code the issuer gives is believed.</param>
    public DeclineJudge(
        IEnumerable<SimCardholder> cards,
        IReadOnlyDictionary<string, EarlierSpending> earlier,
        IReadOnlyList<TimedFaultRule> faults,
        TimeSpan late,
        bool faultsAnyTime,
        TimeProvider time,
        RiskRules? risk = null)
    {
        _risk = risk;
        _cards = cards.DistinctBy(c => c.Pan).ToDictionary(c => c.Pan, c => new Account(c, earlier.GetValueOrDefault(c.Pan)), StringComparer.Ordinal);
        _declineFaults = faults
            .Where(f => f.Rule["decline"] is not null)
            .Select(f => (f.Name, Method: f.Rule["method"]?.GetValue<string>() ?? "*", f.Start, To: f.Duration is { } d ? f.Start + d : (TimeSpan?)null))
            .Where(f => PaymentMethods.Contains(f.Method, StringComparer.Ordinal))
            .ToArray();
        _late = late;
        _faultsAnyTime = faultsAnyTime;
        _time = time;
    }

    /// <summary>Fault windows count from now: call it when the fault timeline starts.</summary>
    public void Start() => Interlocked.Exchange(ref _start, _time.GetTimestamp());

    /// <summary>Before a payment attempt: its amount may leave the card.</summary>
    public void Reserve(string pan, long amountMinor)
    {
        if (_cards.TryGetValue(pan, out var card))
        {
            Interlocked.Add(ref card.RunTakenMinor, amountMinor);
        }
    }

    /// <summary>After a 4xx reply to the attempt: the wallet said no, so no money left the card.</summary>
    public void Release(string pan, long amountMinor) => Reserve(pan, -amountMinor);

    /// <summary>
    /// Why a decline of a payment of <paramref name="amountMinor"/> on the card is a correct answer, or null when nothing
    /// explains it. Call it after <see cref="Release"/> of the declined attempt.
    /// </summary>
    public string? Explain(string pan, long amountMinor)
    {
        if (!_cards.TryGetValue(pan, out var card))
        {
            return "a card the run did not prepare";
        }

        var c = card.Holder;
        if (c.ExpectedResponseCode is { Length: > 0 } code && code != "00")
        {
            return $"persona {c.Persona} expects {code} {c.ExpectedDeclineReason}".TrimEnd();
        }

        if (c.Status is { Length: > 0 } status && status != "active")
        {
            return $"the card is {status}";
        }

        // Every attempt the run made that the wallet did not refuse counts as taken, so this errs towards explaining.
        var taken = card.Earlier.TakenMinor + Interlocked.Read(ref card.RunTakenMinor);
        if (taken + amountMinor > c.BalanceMinor)
        {
            return $"insufficient funds: {N(c.BalanceMinor - taken)} of {N(c.BalanceMinor)} left for {N(amountMinor)}";
        }

        if (OverDailyLimit(card, amountMinor) is { } today)
        {
            return $"over the daily limit: {N(today)} of {N(c.DailyLimitMinor)} spent today before {N(amountMinor)}";
        }

        return ActiveDeclineFault() is { } fault ? $"the plan's fault {fault.Name} declines {fault.Method}" : null;
    }

    /// <summary>
    /// The <see cref="RiskCauses"/> cause when a decline is the issuer's risk control working as configured, or null: the
    /// issuer's ISO code (the wallet's <c>issuerCode</c>; <c>over_limit</c> without one reads as 61) must be a risk code, and
    /// a rule in force must be able to give it — 65 the velocity rule; 61 the amount rule, or the daily limit when the card's
    /// spending today reaches it; 59 the repeat rule, or the riskFlagged rule on a <c>risk-flagged</c> card above its amount;
    /// 57 the merchant on the not-permitted list. A risk code no rule in force gives is left to <see cref="Explain"/>.
    /// </summary>
    public string? RiskCause(string pan, string? issuerCode, string? walletCode, string merchant, long amountMinor)
    {
        var cause = RiskCauses.OfIssuerCode(issuerCode ?? (walletCode == "over_limit" ? "61" : null));
        if (cause is null || !_cards.TryGetValue(pan, out var card))
        {
            return null;
        }

        if (_risk is not { } rules)
        {
            return cause;
        }

        var given = cause switch
        {
            RiskCauses.Velocity => rules.Velocity is not null,
            RiskCauses.Limit => rules.Amount is not null || (rules.DailyLimit && OverDailyLimit(card, amountMinor) is not null),
            RiskCauses.Fraud => rules.Repeat is not null
                || (rules.RiskFlagged is { } flagged && card.Holder.Persona == RiskFlaggedPersona && amountMinor > flagged.Limit),
            _ => rules.NotPermittedMerchants.Contains(merchant, StringComparer.Ordinal),
        };
        return given ? cause : null;
    }

    /// <summary>The failure message of a decline nothing explains.</summary>
    public string Unexplained(string pan, string? code, long amountMinor)
    {
        if (!_cards.TryGetValue(pan, out var card))
        {
            return $"402 {code}: unexplained decline";
        }

        var c = card.Holder;
        var taken = card.Earlier.TakenMinor + Interlocked.Read(ref card.RunTakenMinor);
        return $"402 {code} to {N(amountMinor)} on card ****{pan[^4..]} (persona {c.Persona}, {N(c.BalanceMinor - taken)} of {N(c.BalanceMinor)} left, "
            + $"daily limit {N(c.DailyLimitMinor)}): neither the persona, the card's state nor a planned fault explains it";
    }

    /// <summary>What the card spent today when this payment would take it over its daily limit; null when it stays within.</summary>
    private static long? OverDailyLimit(Account card, long amountMinor)
    {
        var today = card.Earlier.TodayMinor + Interlocked.Read(ref card.RunTakenMinor);
        return card.Holder.DailyLimitMinor > 0 && today + amountMinor > card.Holder.DailyLimitMinor ? today : null;
    }

    private (string Name, string Method, TimeSpan From, TimeSpan? To)? ActiveDeclineFault()
    {
        if (_declineFaults.Length == 0)
        {
            return null;
        }

        if (_faultsAnyTime)
        {
            return _declineFaults[0];
        }

        var start = Interlocked.Read(ref _start);
        if (start < 0)
        {
            return null;
        }

        var at = _time.GetElapsedTime(start);
        foreach (var f in _declineFaults)
        {
            if (at >= f.From - Early && (f.To is not { } to || at <= to + _late))
            {
                return f;
            }
        }

        return null;
    }

    private static string N(long minor) => minor.ToString(CultureInfo.InvariantCulture);

    private sealed class Account(SimCardholder holder, EarlierSpending earlier)
    {
        public SimCardholder Holder { get; } = holder;

        public EarlierSpending Earlier { get; } = earlier;

        /// <summary>Amounts of this run's attempts on the card that the wallet did not refuse (in flight included).</summary>
        public long RunTakenMinor;
    }
}

/// <summary>What the issuer's ledger showed taken from a card before the run: held or captured and not given back, and authorized today (UTC).</summary>
internal readonly record struct EarlierSpending(long TakenMinor, long TodayMinor);

/// <summary>Reads what earlier runs took from the run's cards, so a card drained before the run explains its declines.</summary>
internal static class EarlierSpendingReader
{
    /// <summary>
    /// Pages through the issuer's ledger since its last reset (before the load: every row is earlier) and sums, per PAN of
    /// <paramref name="pans"/>, what is still taken from the balance and what was authorized today (UTC, the simulator's
    /// day). Null with the reason when the ledger cannot be read.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, EarlierSpending>? Spending, long Rows, string? Error)> ReadAsync(
        ControlPlaneClient control, IReadOnlySet<string> pans, TimeProvider time, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var spending = new Dictionary<string, EarlierSpending>(StringComparer.Ordinal);
        var rows = 0L;
        try
        {
            string? since = null;
            for (var page = 0; page < Reconciliation.ViewReader.MaxLedgerPages; page++)
            {
                var read = await control.GetLedgerPageAsync(since, Reconciliation.ViewReader.LedgerPageSize, ct).ConfigureAwait(false);
                foreach (var e in read.Entries.Where(e => pans.Contains(e.Pan)))
                {
                    rows++;
                    var s = spending.GetValueOrDefault(e.Pan);
                    var sameDay = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(e.CreatedUnixMs).UtcDateTime) == today;
                    spending[e.Pan] = new EarlierSpending(
                        s.TakenMinor + e.AuthorizedMinor - e.ReleasedMinor - e.RefundedMinor,
                        s.TodayMinor + (sameDay ? e.AuthorizedMinor : 0));
                }

                if (!read.More)
                {
                    return (spending, rows, null);
                }

                since = read.NextCursor;
            }

            return (null, rows, $"the issuer's ledger has more than {Reconciliation.ViewReader.MaxLedgerPages * Reconciliation.ViewReader.LedgerPageSize} rows");
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or Google.Protobuf.InvalidJsonException or InvalidOperationException or TaskCanceledException)
        {
            return (null, rows, $"the issuer's ledger could not be read ({ex.Message})");
        }
    }
}
