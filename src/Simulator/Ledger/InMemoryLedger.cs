using System.Collections.Concurrent;

namespace PaySim.Simulator.Ledger;

/// <summary>
/// Money moves only inside one account's lock, and an approved hold records its authorization there
/// too. Invariants and Reset take every account's lock (in PAN order, one at a time) so they see no
/// half-done operation; an operation holds at most one account lock, so this cannot deadlock, and the
/// operations themselves share nothing but the card they move money on.
/// </summary>
internal sealed class InMemoryLedger : ILedger
{
    private readonly Dictionary<string, long> _opening;
    private readonly long _initialTotal;
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly SequenceTable<Authorization> _authorizations = new();
    private readonly Lock _snapshot = new();
    private Account[] _lockOrder = [];
    private long _sequence;

    public InMemoryLedger(IEnumerable<KeyValuePair<string, long>> openingBalances)
    {
        _opening = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (pan, balance) in openingBalances)
        {
            _opening.TryAdd(pan, balance);
        }

        _initialTotal = _opening.Values.Sum();
        Reset();
    }

    public HoldResult Hold(HoldRequest request)
    {
        while (true)
        {
            if (!_accounts.TryGetValue(request.Pan, out var account))
            {
                return new HoldResult(LedgerOutcome.UnknownAccount, null, 0);
            }

            if (request.AmountMinor <= 0)
            {
                return new HoldResult(LedgerOutcome.InvalidAmount, null, Volatile.Read(ref account.Balance));
            }

            lock (account)
            {
                if (account.Retired)
                {
                    // A reset replaced the account between the lookup and the lock: use the new one.
                    continue;
                }

                if (request.AmountMinor > account.Balance)
                {
                    return new HoldResult(LedgerOutcome.InsufficientFunds, null, account.Balance);
                }

                if (account.Day != request.Day)
                {
                    account.Day = request.Day;
                    account.SpentToday = 0;
                }

                if (account.SpentToday + request.AmountMinor > request.DailyLimitMinor)
                {
                    return new HoldResult(LedgerOutcome.OverLimit, null, account.Balance);
                }

                account.Balance -= request.AmountMinor;
                account.Held += request.AmountMinor;
                account.SpentToday += request.AmountMinor;
                var sequence = Interlocked.Increment(ref _sequence);
                _authorizations.Set(sequence, new Authorization(sequence, account, request.AmountMinor, request.MerchantId, request.OrderReference, request.IdempotencyKey));
                return new HoldResult(LedgerOutcome.Approved, LedgerIds.Authorization(sequence), account.Balance);
            }
        }
    }

    public CaptureResult Capture(string authorizationId, long amountMinor)
    {
        if (Find(authorizationId) is not { } auth)
        {
            return new CaptureResult(LedgerOutcome.UnknownAuthorization, 0);
        }

        lock (auth.Account)
        {
            if (auth.Account.Retired)
            {
                return new CaptureResult(LedgerOutcome.UnknownAuthorization, 0);
            }

            var remaining = auth.Amount - auth.Captured;
            var amount = amountMinor == 0 ? remaining : amountMinor;
            if (amount <= 0 || amount > remaining)
            {
                return new CaptureResult(LedgerOutcome.InvalidAmount, auth.Captured);
            }

            auth.Account.Held -= amount;
            auth.Account.Captured += amount;
            auth.Captured += amount;
            return new CaptureResult(LedgerOutcome.Approved, auth.Captured);
        }
    }

    public RefundResult Refund(string authorizationId, long amountMinor)
    {
        if (Find(authorizationId) is not { } auth)
        {
            return new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null);
        }

        lock (auth.Account)
        {
            if (auth.Account.Retired)
            {
                return new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null);
            }

            var remaining = auth.Captured - auth.Refunded;
            var amount = amountMinor == 0 ? remaining : amountMinor;
            if (amount <= 0 || amount > remaining)
            {
                return new RefundResult(LedgerOutcome.InvalidAmount, auth.Refunded, null);
            }

            auth.Account.Balance += amount;
            auth.Account.Refunded += amount;
            auth.Refunded += amount;
            var id = LedgerIds.Refund(Interlocked.Increment(ref _sequence));
            return new RefundResult(LedgerOutcome.Approved, auth.Refunded, id);
        }
    }

    public long AvailableMinor(string pan) =>
        _accounts.TryGetValue(pan, out var a) ? Volatile.Read(ref a.Balance) : 0;

    public LedgerInvariants Invariants() => WithEveryAccountLocked(() =>
    {
        long balances = 0, held = 0, captured = 0, refunded = 0;
        var violations = new List<string>();
        foreach (var (pan, a) in _accounts)
        {
            balances += a.Balance;
            held += a.Held;
            captured += a.Captured;
            refunded += a.Refunded;
            if (a.Balance < 0 || a.Held < 0)
            {
                violations.Add($"account {Mask(pan)} has balance {a.Balance} and held {a.Held}");
            }
        }

        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var byOrder = new Dictionary<(string, string), int>();
        foreach (var auth in _authorizations.Values())
        {
            if (auth.Captured > auth.Amount || auth.Refunded > auth.Captured)
            {
                violations.Add($"{LedgerIds.Authorization(auth.Sequence)}: authorized {auth.Amount}, captured {auth.Captured}, refunded {auth.Refunded}");
            }

            if (auth.IdempotencyKey.Length > 0)
            {
                byKey[auth.IdempotencyKey] = byKey.GetValueOrDefault(auth.IdempotencyKey) + 1;
            }

            // A charge the merchant gave back in full is not a double charge any more.
            var reversed = auth.Captured > 0 && auth.Refunded >= auth.Amount;
            if (auth.OrderReference.Length > 0 && !reversed)
            {
                var k = (auth.MerchantId, auth.OrderReference);
                byOrder[k] = byOrder.GetValueOrDefault(k) + 1;
            }
        }

        return LedgerInvariants.Judge(byKey, byOrder, _initialTotal, balances, held, captured, refunded, _authorizations.Count, violations);
    });

    public void Reset() => WithEveryAccountLocked(() =>
    {
        foreach (var retired in _lockOrder)
        {
            retired.Retired = true;
        }

        _authorizations.Clear(Interlocked.Read(ref _sequence) + 1);
        _accounts.Clear();
        foreach (var (pan, balance) in _opening)
        {
            _accounts[pan] = new Account { Balance = balance };
        }

        // The next snapshot locks the new accounts (this one still unlocks the old ones).
        _lockOrder = _accounts.Values.ToArray();
        return true;
    });

    // Every account's lock, always in the order of _lockOrder (fixed at each reset), one snapshot at a
    // time: operations hold at most one account lock, so this sees no half-done operation and cannot deadlock.
    private T WithEveryAccountLocked<T>(Func<T> body)
    {
        lock (_snapshot)
        {
            var accounts = _lockOrder;
            var taken = 0;
            try
            {
                for (; taken < accounts.Length; taken++)
                {
                    Monitor.Enter(accounts[taken]);
                }

                return body();
            }
            finally
            {
                for (var i = taken - 1; i >= 0; i--)
                {
                    Monitor.Exit(accounts[i]);
                }
            }
        }
    }

    private Authorization? Find(string authorizationId) =>
        LedgerIds.TryParseAuthorization(authorizationId, out var sequence) ? _authorizations.Get(sequence) : null;

    private static string Mask(string pan) => pan.Length > 4 ? "****" + pan[^4..] : pan;

    private sealed class Account
    {
        public long Balance;
        public long Held;
        public long Captured;
        public long Refunded;
        public long SpentToday;
        public DateOnly Day;

        /// <summary>Set by Reset under this account's lock: an operation that found it before the reset looks again.</summary>
        public bool Retired;
    }

    // The id is not kept: it is "auth_" + the sequence number, formatted when needed.
    private sealed class Authorization(long sequence, Account account, long amount, string merchantId, string orderReference, string idempotencyKey)
    {
        public long Sequence { get; } = sequence;
        public Account Account { get; } = account;
        public long Amount { get; } = amount;
        public string MerchantId { get; } = merchantId;
        public string OrderReference { get; } = orderReference;
        public string IdempotencyKey { get; } = idempotencyKey;
        public long Captured;
        public long Refunded;
    }
}
