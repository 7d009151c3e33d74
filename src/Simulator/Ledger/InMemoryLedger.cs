using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace PaySim.Simulator.Ledger;

/// <summary>
/// Money moves only inside one account's lock, and an approved hold records its authorization there
/// too. Invariants and Reset take every account's lock (in a fixed order, one at a time) so they see no
/// half-done operation; an operation holds at most one account lock, so this cannot deadlock, and the
/// operations themselves share nothing but the card they move money on.
/// <para>
/// Everything a reset replaces (accounts and holds) is one <see cref="Book"/>: an operation finds an
/// account or a hold in the book it read, and an account it locks that a reset retired meanwhile
/// sends it to the new book.
/// </para>
/// </summary>
internal sealed class InMemoryLedger : ILedger
{
    private readonly Dictionary<string, long> _opening;
    private readonly long _initialTotal;
    private readonly Lock _snapshot = new();
    private volatile Book _book = Book.Empty;
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
            if (!_book.ByPan.TryGetValue(request.Pan, out var account))
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
                account.Book.Holds.Add(sequence, account.Index, request.AmountMinor, request.MerchantId, request.OrderReference, request.IdempotencyKey);
                return new HoldResult(LedgerOutcome.Approved, LedgerIds.Authorization(sequence), account.Balance);
            }
        }
    }

    public CaptureResult Capture(string authorizationId, long amountMinor)
    {
        var book = _book;
        ref var auth = ref Find(book, authorizationId);
        if (Unsafe.IsNullRef(ref auth))
        {
            return new CaptureResult(LedgerOutcome.UnknownAuthorization, 0);
        }

        var account = book.Accounts[auth.Account];
        lock (account)
        {
            if (account.Retired)
            {
                return new CaptureResult(LedgerOutcome.UnknownAuthorization, 0);
            }

            var remaining = auth.Amount - auth.Captured;
            var amount = amountMinor == 0 ? remaining : amountMinor;
            if (amount <= 0 || amount > remaining)
            {
                return new CaptureResult(LedgerOutcome.InvalidAmount, auth.Captured);
            }

            account.Held -= amount;
            account.Captured += amount;
            auth.Captured += amount;
            return new CaptureResult(LedgerOutcome.Approved, auth.Captured);
        }
    }

    public RefundResult Refund(string authorizationId, long amountMinor)
    {
        var book = _book;
        ref var auth = ref Find(book, authorizationId);
        if (Unsafe.IsNullRef(ref auth))
        {
            return new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null);
        }

        var account = book.Accounts[auth.Account];
        lock (account)
        {
            if (account.Retired)
            {
                return new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null);
            }

            var remaining = auth.Captured - auth.Refunded;
            var amount = amountMinor == 0 ? remaining : amountMinor;
            if (amount <= 0 || amount > remaining)
            {
                return new RefundResult(LedgerOutcome.InvalidAmount, auth.Refunded, null);
            }

            account.Balance += amount;
            account.Refunded += amount;
            auth.Refunded += amount;
            var id = LedgerIds.Refund(Interlocked.Increment(ref _sequence));
            return new RefundResult(LedgerOutcome.Approved, auth.Refunded, id);
        }
    }

    public long AvailableMinor(string pan) =>
        _book.ByPan.TryGetValue(pan, out var a) ? Volatile.Read(ref a.Balance) : 0;

    public LedgerInvariants Invariants() => WithEveryAccountLocked(book =>
    {
        long balances = 0, held = 0, captured = 0, refunded = 0;
        var violations = new List<string>();
        foreach (var a in book.Accounts)
        {
            balances += a.Balance;
            held += a.Held;
            captured += a.Captured;
            refunded += a.Refunded;
            if (a.Balance < 0 || a.Held < 0)
            {
                violations.Add($"account {Mask(a.Pan)} has balance {a.Balance} and held {a.Held}");
            }
        }

        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var byOrder = new Dictionary<(string, string), int>();
        long count = 0;
        var holds = book.Holds;
        for (var rows = holds.Rows(); rows.MoveNext();)
        {
            ref var auth = ref rows.Current;
            count++;
            if (auth.Captured > auth.Amount || auth.Refunded > auth.Captured)
            {
                violations.Add($"{LedgerIds.Authorization(rows.Sequence)}: authorized {auth.Amount}, captured {auth.Captured}, refunded {auth.Refunded}");
            }

            var key = holds.IdempotencyKey(auth);
            if (key.Length > 0)
            {
                byKey[key] = byKey.GetValueOrDefault(key) + 1;
            }

            // A charge the merchant gave back in full is not a double charge any more.
            var reversed = auth.Captured > 0 && auth.Refunded >= auth.Amount;
            var order = holds.OrderReference(auth);
            if (order.Length > 0 && !reversed)
            {
                var k = (holds.MerchantId(auth), order);
                byOrder[k] = byOrder.GetValueOrDefault(k) + 1;
            }
        }

        return LedgerInvariants.Judge(byKey, byOrder, _initialTotal, balances, held, captured, refunded, count, violations);
    });

    public void Reset() => WithEveryAccountLocked(old =>
    {
        foreach (var retired in old.Accounts)
        {
            retired.Retired = true;
        }

        // Every sequence number is taken under an account lock: the old ones are all held here, and no
        // operation can reach the new accounts before they exist, so the new table starts past them all.
        var holds = new AuthorizationTable(Interlocked.Read(ref _sequence) + 1);
        var accounts = new Account[_opening.Count];
        var book = new Book(accounts, holds);
        var i = 0;
        foreach (var (pan, balance) in _opening)
        {
            accounts[i] = new Account(book, i, pan) { Balance = balance };
            i++;
        }

        book.ByPan = accounts.ToFrozenDictionary(a => a.Pan, StringComparer.Ordinal);
        // Published while the old accounts are still locked: an operation that waits on one of them
        // finds it retired and this book in place.
        _book = book;
        return true;
    });

    // Every account's lock, always in the order of the book's accounts, one snapshot at a time:
    // operations hold at most one account lock, so this sees no half-done operation and cannot deadlock.
    private T WithEveryAccountLocked<T>(Func<Book, T> body)
    {
        lock (_snapshot)
        {
            var book = _book;
            var accounts = book.Accounts;
            var taken = 0;
            try
            {
                for (; taken < accounts.Length; taken++)
                {
                    Monitor.Enter(accounts[taken]);
                }

                return body(book);
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

    private static ref AuthorizationTable.Row Find(Book book, string authorizationId)
    {
        if (!LedgerIds.TryParseAuthorization(authorizationId, out var sequence))
        {
            return ref Unsafe.NullRef<AuthorizationTable.Row>();
        }

        return ref book.Holds.Find(sequence);
    }

    private static string Mask(string pan) => pan.Length > 4 ? "****" + pan[^4..] : pan;

    /// <summary>The accounts and holds between two resets.</summary>
    private sealed class Book(Account[] accounts, AuthorizationTable holds)
    {
        public static readonly Book Empty = new([], new AuthorizationTable(1));

        public Account[] Accounts { get; } = accounts;

        public AuthorizationTable Holds { get; } = holds;

        public FrozenDictionary<string, Account> ByPan { get; set; } = FrozenDictionary<string, Account>.Empty;
    }

    private sealed class Account(Book book, int index, string pan)
    {
        public readonly Book Book = book;
        public readonly int Index = index;
        public readonly string Pan = pan;
        public long Balance;
        public long Held;
        public long Captured;
        public long Refunded;
        public long SpentToday;
        public DateOnly Day;

        /// <summary>Set by Reset under this account's lock: an operation that found it before the reset looks again.</summary>
        public bool Retired;
    }
}
