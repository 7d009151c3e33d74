using PaySim.Contracts.Control.V1;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// Reads the wallet's and the issuer's views for reconciliation: the ledger cursor at the run's start, then, after
/// the load, both views again and again (every <see cref="PollInterval"/>) until nothing of the run's cards is held
/// and nothing of its users pending, or the settle window is over. Every read is bounded; a view that cannot be
/// read is reported with the reason, never guessed.
/// </summary>
internal sealed class ViewReader(ControlPlaneClient control, IWalletClient wallet, TimeProvider time)
{
    public const int LedgerPageSize = 10_000;
    public const int MaxLedgerPages = 1_000;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The ledger's head before the load; null with the reason when the simulator has no readable ledger.</summary>
    public async Task<(string? Cursor, string? Error)> StartAsync(CancellationToken ct)
    {
        try
        {
            return (await control.GetLedgerHeadAsync(ct).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or Google.Protobuf.InvalidJsonException or InvalidOperationException or TaskCanceledException)
        {
            return (null, $"the issuer's ledger could not be read at the start ({ex.Message})");
        }
    }

    /// <summary>Waits up to <paramref name="settle"/> for the views to settle and returns the last reading.</summary>
    public async Task<(ReconciliationViews Views, TimeSpan Waited, bool Settled)> SettleAsync(
        (string? Cursor, string? Error) start, IReadOnlyList<AppCall> app, IReadOnlyList<RunCard> cards, TimeSpan settle, CancellationToken ct)
    {
        var began = time.GetTimestamp();
        var pans = cards.Select(c => c.Pan).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var (issuer, issuerError) = start.Cursor is null ? (null, start.Error) : await ReadLedgerAsync(start.Cursor, ct).ConfigureAwait(false);
            var (history, walletError) = await ReadWalletAsync(cards, ct).ConfigureAwait(false);
            var views = new ReconciliationViews(app, cards, history, walletError, issuer, issuerError);
            var settled = (issuer?.All(r => r.HeldMinor() == 0 || !pans.Contains(r.Pan)) ?? true)
                && (history?.Values.All(h => h.All(t => !WalletStatuses.Pending.Contains(t.Status))) ?? true);
            var waited = time.GetElapsedTime(began);
            if (settled || waited >= settle)
            {
                return (views, waited, settled);
            }

            await Task.Delay(PollInterval < settle - waited ? PollInterval : settle - waited, time, ct).ConfigureAwait(false);
        }
    }

    private async Task<(IReadOnlyList<LedgerEntry>? Rows, string? Error)> ReadLedgerAsync(string cursor, CancellationToken ct)
    {
        var rows = new List<LedgerEntry>();
        try
        {
            var since = cursor;
            for (var page = 0; page < MaxLedgerPages; page++)
            {
                var read = await control.GetLedgerPageAsync(since, LedgerPageSize, ct).ConfigureAwait(false);
                rows.AddRange(read.Entries);
                if (!read.More)
                {
                    return (rows, null);
                }

                since = read.NextCursor;
            }

            return (null, $"the issuer's ledger has more than {MaxLedgerPages * LedgerPageSize} rows since the run's start");
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException or Google.Protobuf.InvalidJsonException or InvalidOperationException or TaskCanceledException)
        {
            return (null, $"the issuer's ledger could not be read ({ex.Message})");
        }
    }

    private async Task<(IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>>? History, string? Error)> ReadWalletAsync(IReadOnlyList<RunCard> cards, CancellationToken ct)
    {
        var users = cards.Select(c => c.User).DistinctBy(u => u.UserId).ToArray();
        var history = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<WalletTransaction>>(StringComparer.Ordinal);
        string? error = null;
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (user, token) =>
        {
            var reply = await wallet.GetHistoryAsync(user, token).ConfigureAwait(false);
            if (reply is { Ok: true, Value: { } rows })
            {
                history[user.UserId] = rows;
            }
            else
            {
                Interlocked.CompareExchange(ref error, $"the wallet's history of user {user.UserId} could not be read ({reply.Status} {reply.Code}: {reply.Message})", null);
            }
        }).ConfigureAwait(false);
        return error is null ? (history, null) : (null, error);
    }
}
