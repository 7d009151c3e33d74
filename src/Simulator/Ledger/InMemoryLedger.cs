using System.Collections.Concurrent;
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
/// <para>
/// An account exists only once money moved on its card: the first hold opens it at the card's opening
/// balance (which the cardholder registry derives), so a ledger of 100,000,000 cards costs what its
/// touched cards do. An untouched card's balance is its opening balance; the totals of
/// <see cref="Invariants"/> are over the opened accounts (the untouched ones add the same to both sides).
/// </para>
/// </summary>
internal sealed class InMemoryLedger : ILedger
{
    private readonly Func<string, long?> _opening;
    private readonly Lock _snapshot = new();

    // Taken to open an account, and by whoever locks every account: no account opens while they are held.
    private readonly Lock _open = new();
    private volatile Book _book = Book.Empty;

    // Holds only, so the numbers of one book are dense: a reader that finds one not written yet knows a
    // hold is between taking it and recording it, and stops there instead of skipping it.
    private long _sequence;
    private long _refundSequence;
    private long _generation;

    /// <param name="openingBalance">The opening balance of a card, or null for a PAN the issuer does not know.</param>
    public InMemoryLedger(Func<string, long?> openingBalance)
    {
        _opening = openingBalance;
        Reset();
    }

    /// <summary>A ledger of these cards only (tests, benchmarks); the first balance of a PAN given twice stands.</summary>
    public InMemoryLedger(IEnumerable<KeyValuePair<string, long>> openingBalances)
        : this(OpeningTable(openingBalances))
    {
    }

    public HoldResult Hold(HoldRequest request)
    {
        while (true)
        {
            var account = Open(request.Pan);
            if (account is null)
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
                account.Book.Holds.Add(sequence, account.Index, request);
                return new HoldResult(LedgerOutcome.Approved, LedgerIds.Authorization(sequence), account.Balance);
            }
        }
    }

    public CaptureResult Capture(string authorizationId, long amountMinor) =>
        OnHold(authorizationId, amountMinor, new CaptureResult(LedgerOutcome.UnknownAuthorization, 0),
            static (Account account, ref AuthorizationTable.Row auth, long amountMinor) =>
            {
                var remaining = auth.Amount - auth.Captured - auth.Released;
                var amount = amountMinor == 0 ? remaining : amountMinor;
                if (amount <= 0 || amount > remaining)
                {
                    return new CaptureResult(LedgerOutcome.InvalidAmount, auth.Captured);
                }

                account.Held -= amount;
                account.Captured += amount;
                auth.Captured += amount;
                return new CaptureResult(LedgerOutcome.Approved, auth.Captured, account.Pan);
            });

    public VoidResult Void(string authorizationId) =>
        OnHold(authorizationId, 0L, new VoidResult(LedgerOutcome.UnknownAuthorization, 0),
            static (Account account, ref AuthorizationTable.Row auth, long _) =>
            {
                if (auth.Captured > 0)
                {
                    return new VoidResult(LedgerOutcome.AlreadyCaptured, auth.Released);
                }

                // Nothing left once released: a second Void (under another key) moves no money.
                var remaining = auth.Amount - auth.Released;
                account.Held -= remaining;
                account.Balance += remaining;
                account.Released += remaining;
                auth.Released += remaining;
                return new VoidResult(LedgerOutcome.Approved, auth.Released);
            });

    public RefundResult Refund(string authorizationId, long amountMinor) =>
        OnHold(authorizationId, (Ledger: this, Amount: amountMinor), new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null),
            static (Account account, ref AuthorizationTable.Row auth, (InMemoryLedger Ledger, long Amount) state) =>
            {
                var remaining = auth.Captured - auth.Refunded;
                var amount = state.Amount == 0 ? remaining : state.Amount;
                if (amount <= 0 || amount > remaining)
                {
                    return new RefundResult(LedgerOutcome.InvalidAmount, auth.Refunded, null);
                }

                account.Balance += amount;
                account.Refunded += amount;
                auth.Refunded += amount;
                var id = LedgerIds.Refund(Interlocked.Increment(ref state.Ledger._refundSequence));
                return new RefundResult(LedgerOutcome.Approved, auth.Refunded, id, account.Pan);
            });

    public long AvailableMinor(string pan) =>
        _book.ByPan.TryGetValue(pan, out var a) ? Volatile.Read(ref a.Balance) : _opening(pan) ?? 0;

    public string? PanOf(string authorizationId)
    {
        var book = _book;
        ref var auth = ref Find(book, authorizationId ?? "");
        return Unsafe.IsNullRef(ref auth) ? null : book[auth.Account].Pan;
    }

    public LedgerInvariants Invariants() => WithEveryAccountLocked(book =>
    {
        long initial = 0, balances = 0, held = 0, captured = 0, released = 0, refunded = 0;
        var violations = new List<string>();
        for (var i = 0; i < book.Count; i++)
        {
            var a = book[i];
            initial += a.Opening;
            balances += a.Balance;
            held += a.Held;
            captured += a.Captured;
            released += a.Released;
            refunded += a.Refunded;
            if (a.Balance < 0 || a.Held < 0)
            {
                violations.Add($"account {LedgerInvariants.Mask(a.Pan)} has balance {a.Balance} and held {a.Held}");
            }
        }

        var charges = new DuplicateChargeCounter();
        long count = 0, open = 0;
        var holds = book.Holds;
        for (var rows = holds.Rows(); rows.MoveNext();)
        {
            ref var auth = ref rows.Current;
            count++;
            open += auth.Amount - auth.Captured - auth.Released;
            if (auth.Captured + auth.Released > auth.Amount || auth.Refunded > auth.Captured)
            {
                violations.Add(LedgerInvariants.BadAuthorization(LedgerIds.Authorization(rows.Sequence), auth.Amount, auth.Captured, auth.Released, auth.Refunded));
            }

            var pan = book[auth.Account].Pan;
            charges.Add(pan, holds.IdempotencyKey(auth), holds.MerchantId(auth), holds.OrderReference(auth),
                LedgerInvariants.IsReversed(auth.Amount, auth.Captured, auth.Released, auth.Refunded));
        }

        var totals = new LedgerTotals(initial, balances, held, captured, released, refunded, open, count);
        return LedgerInvariants.Judge(charges.ByKey, charges.ByOrder, totals, violations);
    });

    public LedgerPage ReadPage(LedgerCursor? since, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var (book, head) = BookAndHead();
        var first = book.Holds.FirstSequence;
        var start = since ?? new LedgerCursor(book.Generation, first - 1);
        if (start.Epoch != book.Generation)
        {
            throw LedgerCursorException.OtherEpoch(start, book.Generation);
        }

        if (start.Sequence < first - 1 || start.Sequence > head)
        {
            throw LedgerCursorException.Outside(start, first - 1, head);
        }

        if (limit == 0)
        {
            return new LedgerPage([], start with { Sequence = head }, false);
        }

        var rows = new List<LedgerRow>((int)Math.Min(limit, head - start.Sequence));
        var last = start.Sequence;
        while (rows.Count < limit && last < head)
        {
            ref var auth = ref Written(book.Holds, last + 1);
            if (Unsafe.IsNullRef(ref auth))
            {
                // A hold took this number and is still recording it: stop before it, never skip it.
                break;
            }

            last++;
            rows.Add(ToRow(book, last, ref auth));
        }

        return new LedgerPage(rows, start with { Sequence = last }, last < head);
    }

    public void Reset() => WithEveryAccountLocked(old =>
    {
        for (var i = 0; i < old.Count; i++)
        {
            old[i].Retired = true;
        }

        // Every sequence number is taken under an account lock: the old ones are all held here, and no
        // account opens meanwhile, so the new table starts past them all. Accounts open again on first use.
        // Published while the old accounts are still locked: an operation that waits on one of them
        // finds it retired and this book in place.
        _book = new Book(new AuthorizationTable(Interlocked.Read(ref _sequence) + 1), _generation++);
        return true;
    });

    // The card's account in the current book, opened at its opening balance on first use; null for a PAN
    // the issuer does not know. An account opened while a reset swaps the book goes to the new book.
    private Account? Open(string pan)
    {
        while (true)
        {
            var book = _book;
            if (book.ByPan.TryGetValue(pan, out var account))
            {
                return account;
            }

            if (_opening(pan) is not { } opening)
            {
                return null;
            }

            lock (_open)
            {
                if (!ReferenceEquals(book, _book))
                {
                    continue;
                }

                return book.ByPan.TryGetValue(pan, out account) ? account : book.Add(pan, opening);
            }
        }
    }

    private static Func<string, long?> OpeningTable(IEnumerable<KeyValuePair<string, long>> openingBalances)
    {
        var table = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (pan, balance) in openingBalances)
        {
            table.TryAdd(pan, balance);
        }

        return pan => table.TryGetValue(pan, out var balance) ? balance : null;
    }

    // Every account's lock, always in the order of the book's accounts, one snapshot at a time:
    // operations hold at most one account lock, so this sees no half-done operation and cannot deadlock.
    private T WithEveryAccountLocked<T>(Func<Book, T> body)
    {
        lock (_snapshot)
        lock (_open)
        {
            var book = _book;
            var count = book.Count;
            var taken = 0;
            try
            {
                for (; taken < count; taken++)
                {
                    Monitor.Enter(book[taken]);
                }

                return body(book);
            }
            finally
            {
                for (var i = taken - 1; i >= 0; i--)
                {
                    Monitor.Exit(book[i]);
                }
            }
        }
    }

    // The book and the last sequence number taken in it: read the book again after the number, so a reset
    // between the two (whose new book hands out higher numbers) is seen and the pair read again.
    private (Book Book, long Head) BookAndHead()
    {
        while (true)
        {
            var book = _book;
            var head = Interlocked.Read(ref _sequence);
            if (ReferenceEquals(book, _book))
            {
                return (book, Math.Max(head, book.Holds.FirstSequence - 1));
            }
        }
    }

    // A number at or below the head is written within moments of being taken (under its account's
    // lock); spin briefly for it rather than end a page early on every race.
    private static ref AuthorizationTable.Row Written(AuthorizationTable holds, long sequence)
    {
        var spin = new SpinWait();
        while (true)
        {
            ref var row = ref holds.Find(sequence);
            if (!Unsafe.IsNullRef(ref row) || spin.Count >= 20)
            {
                return ref row;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static LedgerRow ToRow(Book book, long sequence, ref AuthorizationTable.Row auth)
    {
        var account = book[auth.Account];
        long captured, released, refunded;
        lock (account)
        {
            (captured, released, refunded) = (auth.Captured, auth.Released, auth.Refunded);
        }

        var holds = book.Holds;
        return new LedgerRow(sequence, LedgerIds.Authorization(sequence), account.Pan, holds.CardToken(auth), holds.MerchantId(auth),
            holds.OrderReference(auth), holds.IdempotencyKey(auth), auth.Amount, captured, released, refunded, holds.Node(auth), auth.CreatedUnixMs);
    }

    // Runs a money movement on the hold an id names, under its account's lock; <paramref name="unknown"/> when the
    // id names no hold or a reset retired its account meanwhile. State goes in as an argument (static lambdas): the
    // load path allocates no closure.
    private TResult OnHold<TState, TResult>(string authorizationId, TState state, TResult unknown, HoldAction<TState, TResult> action)
    {
        var book = _book;
        ref var auth = ref Find(book, authorizationId);
        if (Unsafe.IsNullRef(ref auth))
        {
            return unknown;
        }

        var account = book[auth.Account];
        lock (account)
        {
            return account.Retired ? unknown : action(account, ref auth, state);
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

    private delegate TResult HoldAction<in TState, out TResult>(Account account, ref AuthorizationTable.Row auth, TState state);

    /// <summary>The accounts and holds between two resets. Accounts are appended (under the ledger's open lock), never removed.</summary>
    private sealed class Book(AuthorizationTable holds, long generation)
    {
        private const int ChunkBits = 10;
        private const int ChunkSize = 1 << ChunkBits;

        public static readonly Book Empty = new(new AuthorizationTable(1), 0);

        private volatile Account[]?[] _chunks = new Account[]?[16];
        private int _count;

        public AuthorizationTable Holds { get; } = holds;

        /// <summary>How many resets made this book: the epoch of its ledger cursors.</summary>
        public long Generation { get; } = generation;

        public ConcurrentDictionary<string, Account> ByPan { get; } = new(StringComparer.Ordinal);

        /// <summary>How many accounts are open; those below it never move.</summary>
        public int Count => Volatile.Read(ref _count);

        public Account this[int index] => _chunks[index >> ChunkBits]![index & (ChunkSize - 1)];

        /// <summary>Opens an account; the caller holds the ledger's open lock.</summary>
        public Account Add(string pan, long opening)
        {
            var index = _count;
            var chunks = _chunks;
            if ((index >> ChunkBits) >= chunks.Length)
            {
                var grown = new Account[]?[chunks.Length * 2];
                chunks.CopyTo(grown, 0);
                _chunks = chunks = grown;
            }

            var chunk = chunks[index >> ChunkBits] ??= new Account[ChunkSize];
            var account = new Account(this, index, pan, opening) { Balance = opening };
            chunk[index & (ChunkSize - 1)] = account;
            ByPan[pan] = account;
            Volatile.Write(ref _count, index + 1);
            return account;
        }
    }

    private sealed class Account(Book book, int index, string pan, long opening)
    {
        public readonly Book Book = book;
        public readonly int Index = index;
        public readonly string Pan = pan;
        public readonly long Opening = opening;
        public long Balance;
        public long Held;
        public long Captured;
        public long Released;
        public long Refunded;
        public long SpentToday;
        public DateOnly Day;

        /// <summary>Set by Reset under this account's lock: an operation that found it before the reset looks again.</summary>
        public bool Retired;
    }
}
