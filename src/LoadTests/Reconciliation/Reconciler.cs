using System.Text.Json.Nodes;
using PaySim.Contracts.Control.V1;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// Reconciles the app's money calls, the wallet's history and the issuer's ledger per card (docs/plans.md,
/// "Reconciliation"). Pure: hand-made views in, figures and evidence out. A figure whose views could not all be
/// read stays null, so a claim on it fails with "no value".
/// </summary>
internal static class Reconciler
{
    public static ReconciliationResult Reconcile(ReconciliationViews views)
    {
        var result = new ReconciliationResult { Cards = views.Cards.Count };
        var payments = LogicalPayment.From(views.App);
        LogicalPayment.ApplyRefunds(payments, views.App);
        var pans = views.Cards.Select(c => c.Pan).ToHashSet(StringComparer.Ordinal);
        var rows = views.Issuer?.Where(r => pans.Contains(r.Pan)).ToArray();
        var unmatched = rows is null ? null : LedgerMatcher.Match(rows, payments);
        var links = views.Wallet is null ? null : WalletLink.Link(payments, views.Wallet);
        var records = views.Wallet is null ? null : WalletLink.LinkAll(payments, views.Wallet);
        if (rows is not null)
        {
            Excess(result, payments, unmatched!);
            Orphans(result, rows);
        }

        if (views.Wallet is not null)
        {
            Stuck(result, views.Wallet, views.Cards.GroupBy(c => c.User.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Pan, StringComparer.Ordinal));
            DuplicateWalletPayments(result, payments, records!);
        }

        if (rows is not null && links is not null)
        {
            Lost(result, payments, links);
            RefundMismatches(result, payments, unmatched!, records!, WalletLink.RefundedByPayment(views.Wallet!));
            ToldFailedCharged(result, payments, records!);
        }

        result.Views = DescribeViews(views, payments, rows);
        return result;
    }

    private static void Excess(ReconciliationResult result, IReadOnlyList<LogicalPayment> payments, IReadOnlyList<LedgerEntry> unmatched)
    {
        result.Readable("excessCharges");
        result.Readable("excessMinor");
        foreach (var p in payments)
        {
            var taken = p.Entries.Sum(e => e.TakenMinor());
            if (taken <= p.AllowedMinor)
            {
                continue;
            }

            // Every row that still takes money beyond the one the app allows is one more charge.
            var charges = p.Entries.Count(e => e.TakenMinor() > 0) - (p.AllowedMinor > 0 ? 1 : 0);
            result.Count("excessCharges", Math.Max(1, charges));
            result.Count("excessMinor", taken - p.AllowedMinor);
            result.Evidence["excessCharges"].Add(Row(p, $"the issuer kept {taken} for a payment the app allows {p.AllowedMinor} ({Describe(p.Outcome)})")
                .With("takenMinor", taken).With("allowedMinor", p.AllowedMinor).With("excessMinor", taken - p.AllowedMinor));
        }

        foreach (var row in unmatched.Where(r => r.TakenMinor() > 0))
        {
            result.Count("excessCharges");
            result.Count("excessMinor", row.TakenMinor());
            result.Evidence["excessCharges"].Add(Row(row, "no app payment on this card matches it by order reference, key or amount").With("excessMinor", row.TakenMinor()));
        }
    }

    private static void Orphans(ReconciliationResult result, IReadOnlyList<LedgerEntry> rows)
    {
        result.Readable("orphanHolds");
        foreach (var row in rows.Where(r => r.HeldMinor() > 0))
        {
            result.Count("orphanHolds");
            result.Evidence["orphanHolds"].Add(Row(row, "held after the settle window: neither captured nor released"));
        }
    }

    private static void Stuck(ReconciliationResult result, IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>> wallet, IReadOnlyDictionary<string, string> panOfUser)
    {
        result.Readable("stuckPending");
        foreach (var (user, history) in wallet)
        {
            foreach (var t in history.Where(t => WalletStatuses.Pending.Contains(t.Status)))
            {
                result.Count("stuckPending");
                result.Evidence["stuckPending"].Add(new JsonObject
                {
                    ["card"] = panOfUser.TryGetValue(user, out var pan) ? Mask(pan) : string.Empty,
                    ["ref"] = $"{t.OrderReference}/{t.Id}",
                    ["user"] = user,
                    ["kind"] = t.Kind,
                    ["id"] = t.Id,
                    ["paymentId"] = t.PaymentId,
                    ["orderReference"] = t.OrderReference,
                    ["amountMinor"] = t.AmountMinor,
                    ["status"] = t.Status,
                    ["reason"] = $"the wallet still reports this {t.Kind} {t.Status} after the settle window",
                });
            }
        }
    }

    private static void Lost(ReconciliationResult result, IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<LogicalPayment, WalletTransaction?> links)
    {
        result.Readable("lostPayments");
        foreach (var p in payments.Where(p => p.Succeeded))
        {
            var reasons = new List<string>();
            if (p.Entries.Sum(e => e.CapturedMinor) == 0)
            {
                reasons.Add("the issuer has no capture");
            }

            if (links[p] is not { } record)
            {
                reasons.Add("the wallet has no record");
            }
            else if (WalletStatuses.NoMoney.Contains(record.Status))
            {
                reasons.Add($"the wallet records it {record.Status}");
            }

            if (reasons.Count > 0)
            {
                result.Count("lostPayments");
                result.Evidence["lostPayments"].Add(Row(p, $"the app saw {p.Attempts.First(a => a.Outcome == CallOutcome.Succeeded).Status}, but {string.Join(" and ", reasons)}"));
            }
        }
    }

    private static void RefundMismatches(
        ReconciliationResult result,
        IReadOnlyList<LogicalPayment> payments,
        IReadOnlyList<LedgerEntry> unmatched,
        IReadOnlyDictionary<LogicalPayment, IReadOnlyList<WalletTransaction>> records,
        IReadOnlyDictionary<(string User, string PaymentId), long> walletRefunds)
    {
        result.Readable("refundMismatch");
        foreach (var p in payments)
        {
            // The issuer's refunds of every row the payment owns against the wallet's of every record it made for it: a
            // wallet that made two records for one key (and reversed one) reports that refund on the other record.
            var wallet = records[p].Sum(t => walletRefunds.GetValueOrDefault((p.First.UserId, t.Id)));
            var issuer = p.Entries.Sum(e => e.RefundedMinor);
            if (wallet != issuer)
            {
                result.Count("refundMismatch");
                result.Evidence["refundMismatch"].Add(Row(p, wallet > issuer ? "the wallet reports refunds the issuer never made" : "the issuer refunded more than the wallet reports")
                    .With("walletRefundedMinor", wallet).With("issuerRefundedMinor", issuer).WithRecords(records[p]));
            }
        }

        foreach (var row in unmatched.Where(r => r.RefundedMinor > 0))
        {
            result.Count("refundMismatch");
            result.Evidence["refundMismatch"].Add(Row(row, "the issuer refunded a payment no app payment on this card explains").With("issuerRefundedMinor", row.RefundedMinor));
        }
    }

    /// <summary>
    /// Payments (one user's Idempotency-Key) for which the wallet made more than one payment record, or answered the app
    /// with more than one payment id (a double tap's two requests each paid, though the history lists one): it did not
    /// honour the key, so a retry or a second tap became another payment (whether or not it moved money twice).
    /// </summary>
    private static void DuplicateWalletPayments(ReconciliationResult result, IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<LogicalPayment, IReadOnlyList<WalletTransaction>> records)
    {
        result.Readable("duplicateWalletPayments");
        foreach (var p in payments.Where(p => records[p].Count > 1 || p.PaymentIds.Count > 1))
        {
            var reason = records[p].Count > 1
                ? $"the wallet has {records[p].Count} payment records for one Idempotency-Key ({p.Attempts.Count} app attempts)"
                : $"the wallet answered one Idempotency-Key with {p.PaymentIds.Count} payment ids ({string.Join(", ", p.PaymentIds)}; {p.Attempts.Count} app attempts) and lists {records[p].Count} record(s)";
            result.Count("duplicateWalletPayments");
            result.Evidence["duplicateWalletPayments"].Add(Row(p, reason).WithRecords(records[p]));
        }
    }

    /// <summary>
    /// Payments whose final answer to the app was the wallet's own failure (502/503/504 with its error code, no attempt
    /// succeeded: <see cref="LogicalPayment.ToldFailed"/>) while the money went anyway: the wallet records the payment
    /// completed, or it has no record of it and the issuer captured money for it. A record the wallet keeps failed or
    /// pending is its to settle (the reference wallet's recovery voids or reverses it after its stale window, which may
    /// outlast the settle window), and a voided or reversed one is settled: neither counts.
    /// </summary>
    private static void ToldFailedCharged(ReconciliationResult result, IReadOnlyList<LogicalPayment> payments, IReadOnlyDictionary<LogicalPayment, IReadOnlyList<WalletTransaction>> records)
    {
        result.Readable("toldFailedCharged");
        foreach (var p in payments.Where(p => p.ToldFailed))
        {
            var own = records[p];
            var captured = p.Entries.Sum(e => Math.Max(0, e.CapturedMinor - e.RefundedMinor));
            var told = $"the wallet answered the app {p.Last.Status} {p.Last.Code}";
            var reason = own.FirstOrDefault(t => WalletStatuses.Done(t.Status)) is { } done
                ? $"{told}, but records the payment {done.Status} ({done.Id}) and the issuer kept {captured} captured"
                : own.Count == 0 && captured > 0 ? $"{told} and has no record of it, but the issuer captured {captured}" : null;
            if (reason is not null)
            {
                result.Count("toldFailedCharged");
                result.Evidence["toldFailedCharged"].Add(Row(p, reason).With("capturedMinor", captured).WithRecords(own));
            }
        }
    }

    private static JsonObject Row(LogicalPayment p, string reason) => new()
    {
        ["card"] = Mask(p.Pan),
        ["ref"] = p.First.OrderReference + "/" + p.First.IdempotencyKey,
        ["user"] = p.First.UserId,
        ["idempotencyKey"] = p.First.IdempotencyKey,
        ["orderReference"] = p.First.OrderReference,
        ["amountMinor"] = p.AmountMinor,
        ["appOutcome"] = Describe(p.Outcome),
        ["appLastStatus"] = p.Last.Status,
        ["appLastCode"] = p.Last.Code,
        ["attempts"] = p.Attempts.Count,
        ["servedBy"] = new JsonArray(p.Attempts.Select(a => a.ServedBy).Distinct().Select(s => (JsonNode?)(s ?? "-")).ToArray()),
        ["paymentId"] = p.PaymentId,
        ["issuer"] = new JsonArray(p.Entries.Select(e => (JsonNode?)$"{e.AuthorizationId} {e.State} authorized {e.AuthorizedMinor} captured {e.CapturedMinor} released {e.ReleasedMinor} refunded {e.RefundedMinor}").ToArray()),
        ["reason"] = reason,
    };

    private static JsonObject Row(LedgerEntry r, string reason) => new()
    {
        ["card"] = Mask(r.Pan),
        ["ref"] = $"{r.OrderReference}/{r.Sequence:D12}",
        ["authorizationId"] = r.AuthorizationId,
        ["orderReference"] = r.OrderReference,
        ["issuerKey"] = r.IdempotencyKey,
        ["amountMinor"] = r.AuthorizedMinor,
        ["state"] = r.State,
        ["heldMinor"] = r.HeldMinor(),
        ["node"] = r.Node,
        ["createdUnixMs"] = r.CreatedUnixMs,
        ["reason"] = reason,
    };

    private static JsonObject With(this JsonObject row, string field, long value)
    {
        row[field] = value;
        return row;
    }

    /// <summary>The wallet's payment records of the row's payment, one line each: id, status, amount, order reference, key.</summary>
    private static JsonObject WithRecords(this JsonObject row, IReadOnlyList<WalletTransaction> records)
    {
        row["wallet"] = new JsonArray(records.Select(t => (JsonNode?)$"{t.Id} {t.Status} amount {t.AmountMinor} order {t.OrderReference ?? "-"} key {t.IdempotencyKey ?? "-"}").ToArray());
        return row;
    }

    private static JsonObject DescribeViews(ReconciliationViews views, IReadOnlyList<LogicalPayment> payments, IReadOnlyList<LedgerEntry>? rows) => new()
    {
        ["app"] = new JsonObject
        {
            ["calls"] = views.App.Count,
            ["payments"] = payments.Count,
            ["succeeded"] = payments.Count(p => p.Succeeded),
            ["unknown"] = payments.Count(p => p.Unknown),
            ["refunds"] = views.App.Where(c => c.IsRefund).Select(c => (c.UserId, c.IdempotencyKey)).Distinct().Count(),
        },
        ["wallet"] = new JsonObject
        {
            ["read"] = views.Wallet is not null,
            ["users"] = views.Wallet?.Count,
            ["transactions"] = views.Wallet?.Values.Sum(h => h.Count),
            ["error"] = views.WalletError,
        },
        ["issuer"] = new JsonObject
        {
            ["read"] = rows is not null,
            ["entries"] = rows?.Count,
            ["error"] = views.IssuerError,
        },
    };

    private static string Describe(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Succeeded => "2xx",
        CallOutcome.Rejected => "4xx",
        CallOutcome.InProgress => "409 in progress",
        CallOutcome.ServerError => "5xx",
        CallOutcome.Timeout => "timeout",
        _ => "no answer",
    };

    /// <summary>First six and last four digits, as card slips print them.</summary>
    public static string Mask(string pan) => pan.Length <= 10 ? pan : pan[..6] + new string('*', pan.Length - 10) + pan[^4..];
}
