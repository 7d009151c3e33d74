using Microsoft.Data.Sqlite;

namespace PaySim.Wallet.Storage;

/// <summary>Payments and refunds. Uniqueness of (user, Idempotency-Key) is what makes wallet-level replays safe.</summary>
internal sealed class PaymentStore(WalletDatabase database)
{
    private const string PaymentColumns =
        "id, user_id, idempotency_key, card_id, amount_minor, currency, merchant, order_reference, status, authorization_id, error_code, error_message, error_status, refunded_minor, created_at";

    private const string RefundColumns = "id, payment_id, user_id, idempotency_key, amount_minor, status, issuer_refund_id, created_at";

    // What a read returns: the inserted columns and the bookkeeping of who is working on the row.
    private const string PaymentReadColumns = PaymentColumns + ", updated_at, release_pending, " + ChallengeColumns;

    private const string ChallengeColumns = "challenge_id, challenge_phone, challenge_expires_at, challenge_ttl_s, challenge_otp";
    private const string RefundReadColumns = RefundColumns + ", updated_at";

    public async Task<bool> TryInsertAsync(PaymentRecord p, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO payments (" + PaymentColumns + ", updated_at, " + ChallengeColumns + ")"
            + " VALUES ($id, $u, $k, $c, $a, $cur, $m, $o, $s, $auth, $ec, $em, $es, 0, $at, $at, $chl, $cp, $ce, $ct, $co)",
            ("$id", p.Id), ("$u", p.UserId), ("$k", p.IdempotencyKey), ("$c", p.CardId), ("$a", p.AmountMinor), ("$cur", p.Currency),
            ("$m", p.Merchant), ("$o", p.OrderReference), ("$s", p.Status), ("$auth", p.AuthorizationId), ("$ec", p.ErrorCode),
            ("$em", p.ErrorMessage), ("$es", p.ErrorStatus), ("$at", p.CreatedAtMs), ("$chl", p.ChallengeId), ("$cp", p.ChallengeMaskedPhone),
            ("$ce", p.ChallengeExpiresAtMs), ("$ct", p.ChallengeTtlSeconds), ("$co", p.ChallengeOtp));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            return false;
        }
    }

    public Task<PaymentRecord?> FindByKeyAsync(string userId, string idempotencyKey, CancellationToken ct) =>
        QueryPaymentAsync("user_id = $u AND idempotency_key = $k", ct, ("$u", userId), ("$k", idempotencyKey));

    public Task<PaymentRecord?> GetAsync(string id, CancellationToken ct) => QueryPaymentAsync("id = $id", ct, ("$id", id));

    /// <summary>
    /// Claims a payment to run it again under its issuer keys: a failed one, or one left pending since
    /// before <paramref name="staleBeforeMs"/> (the process running it died). One caller wins the claim.
    /// </summary>
    public async Task<bool> TryResumeAsync(string id, long nowMs, long staleBeforeMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET status = 'pending', updated_at = $now WHERE id = $id AND (status = 'failed' OR (status = 'pending' AND updated_at < $stale))",
            ("$id", id), ("$now", nowMs), ("$stale", staleBeforeMs));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <param name="releasePending">The payment will not be captured but its hold is not released yet (the recovery pass will).</param>
    /// <param name="lease">When set, only if the row is still as this caller last wrote it (its claim); returns false otherwise.</param>
    public async Task<bool> SetOutcomeAsync(string id, string status, string? authorizationId, string? errorCode, string? errorMessage, int? errorStatus,
        long nowMs, CancellationToken ct, bool releasePending = false, long? lease = null)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE payments SET status = $s, authorization_id = COALESCE($auth, authorization_id),
              error_code = $ec, error_message = $em, error_status = $es, release_pending = $rp, updated_at = $now
            WHERE id = $id AND ($lease IS NULL OR updated_at = $lease)
            """,
            ("$id", id), ("$s", status), ("$auth", authorizationId), ("$ec", errorCode), ("$em", errorMessage), ("$es", errorStatus),
            ("$rp", releasePending ? 1 : 0), ("$now", nowMs), ("$lease", lease));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Payments nobody has written for longer than the stale window that still owe the issuer a settlement: pending
    /// (their process died) or failed (no retry came), and declined ones whose hold was not released yet; and step-up
    /// challenges whose code lapsed before the stale window began (nobody is going to authenticate them). Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<PaymentRecord>> ListUnsettledAsync(long staleBeforeMs, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT " + PaymentReadColumns + """
             FROM payments
            WHERE ((status IN ('pending', 'failed') OR release_pending = 1) AND updated_at < $stale)
               OR (status = 'pending_authentication' AND challenge_expires_at < $stale AND updated_at < $stale)
            ORDER BY updated_at LIMIT $limit
            """,
            ("$stale", staleBeforeMs), ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<PaymentRecord>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(ReadPayment(reader));
        }

        return list;
    }

    /// <summary>
    /// Claims a payment exactly as it was listed (nobody wrote it since): a failed one (or a lapsed challenge) turns
    /// pending, so a client retry (or authentication) is told "in progress" while it is settled. Returns the lease to write under, or null when another
    /// instance or a client retry got there first.
    /// </summary>
    public async Task<long?> TryClaimAsync(PaymentRecord seen, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE payments SET status = CASE WHEN status IN ('failed', 'pending_authentication') THEN 'pending' ELSE status END, updated_at = $now
            WHERE id = $id AND status = $s AND updated_at = $seen AND release_pending = $rp
            """,
            ("$id", seen.Id), ("$s", seen.Status), ("$seen", seen.UpdatedAtMs), ("$rp", seen.ReleasePending ? 1 : 0), ("$now", nowMs));
        return await command.ExecuteNonQueryAsync(ct) == 1 ? nowMs : null;
    }

    /// <summary>
    /// The issuer answered 1A: the payment waits for its SMS code (status pending_authentication). Written under the
    /// caller's <paramref name="lease"/>; false when the row was taken over meanwhile.
    /// </summary>
    public async Task<bool> SetChallengeAsync(string id, string challengeId, string maskedPhone, long expiresAtMs, int ttlSeconds, long nowMs, long lease, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE payments SET status = 'pending_authentication', challenge_id = $chl, challenge_phone = $cp, challenge_expires_at = $ce,
              challenge_ttl_s = $ct, error_code = NULL, error_message = NULL, error_status = NULL, updated_at = $now
            WHERE id = $id AND updated_at = $lease
            """,
            ("$id", id), ("$chl", challengeId), ("$cp", maskedPhone), ("$ce", expiresAtMs), ("$ct", ttlSeconds), ("$now", nowMs), ("$lease", lease));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Claims a challenged payment to authenticate it with <paramref name="otp"/>: one waiting for its code, or one
    /// whose authentication failed (issuer trouble) or was left pending since before <paramref name="staleBeforeMs"/>.
    /// The code is kept while no hold is known, so recovery can ask the issuer what it made of it. Returns the lease,
    /// or null when another request or the recovery pass has it.
    /// </summary>
    public async Task<long?> TryClaimChallengeAsync(string id, string otp, long nowMs, long staleBeforeMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE payments SET status = 'pending', updated_at = $now,
              challenge_otp = CASE WHEN authorization_id IS NULL THEN $otp ELSE challenge_otp END
            WHERE id = $id AND challenge_id IS NOT NULL
              AND (status IN ('pending_authentication', 'failed') OR (status = 'pending' AND updated_at < $stale))
            """,
            ("$id", id), ("$otp", otp), ("$now", nowMs), ("$stale", staleBeforeMs));
        return await command.ExecuteNonQueryAsync(ct) == 1 ? nowMs : null;
    }

    /// <summary>A fresh step-up code went out: the challenge lapses later.</summary>
    public async Task<bool> RenewChallengeAsync(string id, long expiresAtMs, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET challenge_expires_at = $ce, updated_at = $now WHERE id = $id AND status = 'pending_authentication'",
            ("$id", id), ("$ce", expiresAtMs), ("$now", nowMs));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Keeps a claim fresh before another issuer call; false when it was lost (the row changed).</summary>
    public async Task<bool> TryRenewAsync(string id, long lease, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET updated_at = $now WHERE id = $id AND updated_at = $lease", ("$id", id), ("$lease", lease), ("$now", nowMs));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The hold of a declined payment is released: nothing left to settle.</summary>
    public async Task ClearReleasePendingAsync(string id, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET release_pending = 0, updated_at = $now WHERE id = $id", ("$id", id), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Reserves a refund amount; false when it would refund more than was paid.</summary>
    public async Task<bool> TryReserveRefundAsync(string paymentId, long amountMinor, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET refunded_minor = refunded_minor + $a, updated_at = $now WHERE id = $id AND refunded_minor + $a <= amount_minor",
            ("$id", paymentId), ("$a", amountMinor), ("$now", nowMs));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task ReleaseRefundAsync(string paymentId, long amountMinor, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE payments SET refunded_minor = refunded_minor - $a, updated_at = $now WHERE id = $id",
            ("$id", paymentId), ("$a", amountMinor), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> TryInsertRefundAsync(RefundRecord r, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO refunds (" + RefundColumns + ", updated_at) VALUES ($id, $p, $u, $k, $a, $s, $ir, $at, $at)",
            ("$id", r.Id), ("$p", r.PaymentId), ("$u", r.UserId), ("$k", r.IdempotencyKey), ("$a", r.AmountMinor), ("$s", r.Status),
            ("$ir", r.IssuerRefundId), ("$at", r.CreatedAtMs));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            return false;
        }
    }

    public async Task<RefundRecord?> FindRefundAsync(string paymentId, string idempotencyKey, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT " + RefundReadColumns + " FROM refunds WHERE payment_id = $p AND idempotency_key = $k", ("$p", paymentId), ("$k", idempotencyKey));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadRefund(reader) : null;
    }

    public async Task SetRefundOutcomeAsync(string id, string status, string? issuerRefundId, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE refunds SET status = $s, issuer_refund_id = COALESCE($ir, issuer_refund_id), updated_at = $now WHERE id = $id",
            ("$id", id), ("$s", status), ("$ir", issuerRefundId), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Refunds left pending (the process running them died) or failed (issuer trouble, no retry came) for longer than
    /// the stale window. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<RefundRecord>> ListStaleRefundsAsync(long staleBeforeMs, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT " + RefundReadColumns + " FROM refunds WHERE status IN ('pending', 'failed') AND updated_at < $stale ORDER BY updated_at LIMIT $limit",
            ("$stale", staleBeforeMs), ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<RefundRecord>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(ReadRefund(reader));
        }

        return list;
    }

    /// <summary>
    /// Claims a pending or failed refund exactly as it was read (nobody wrote it since) and marks it pending; false
    /// when another instance or a retry got there first.
    /// </summary>
    public async Task<bool> TryClaimRefundAsync(RefundRecord seen, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE refunds SET status = 'pending', updated_at = $now WHERE id = $id AND status = $s AND updated_at = $seen",
            ("$id", seen.Id), ("$s", seen.Status), ("$seen", seen.UpdatedAtMs), ("$now", nowMs));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task DeleteRefundAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("DELETE FROM refunds WHERE id = $id", ("$id", id));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A user's payments and refunds, newest first, each line with the keys a reconciliation joins on (the client's
    /// Idempotency-Key, the card, the issuer's authorization) and, for a payment, its refunds.
    /// </summary>
    public async Task<IReadOnlyList<TransactionRecord>> ListTransactionsAsync(string userId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            SELECT id, 'payment', status, amount_minor, currency, merchant, order_reference, id, error_code, created_at,
                   idempotency_key, card_id, authorization_id, updated_at
              FROM payments WHERE user_id = $u
            UNION ALL
            SELECT r.id, 'refund', r.status, r.amount_minor, p.currency, p.merchant, p.order_reference, p.id, NULL, r.created_at,
                   r.idempotency_key, p.card_id, p.authorization_id, r.updated_at
              FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.user_id = $u
            ORDER BY 10 DESC, 1 DESC
            LIMIT $limit
            """,
            ("$u", userId), ("$limit", limit));
        var list = new List<TransactionRecord>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                list.Add(new TransactionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.NullableString(8), reader.GetInt64(9),
                    reader.GetString(10), reader.GetString(11), reader.NullableString(12), reader.GetInt64(13), []));
            }
        }

        var refunds = await RefundsByPaymentAsync(connection, userId, ct);
        return list.Select(t => t.Kind == "payment" && refunds.TryGetValue(t.Id, out var r) ? t with { Refunds = r } : t).ToList();
    }

    private static async Task<Dictionary<string, List<RefundRecord>>> RefundsByPaymentAsync(SqliteConnection connection, string userId, CancellationToken ct)
    {
        await using var command = connection.Command(
            "SELECT " + RefundReadColumns + " FROM refunds WHERE user_id = $u ORDER BY created_at, id", ("$u", userId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var byPayment = new Dictionary<string, List<RefundRecord>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var refund = ReadRefund(reader);
            if (!byPayment.TryGetValue(refund.PaymentId, out var list))
            {
                byPayment[refund.PaymentId] = list = [];
            }

            list.Add(refund);
        }

        return byPayment;
    }

    private async Task<PaymentRecord?> QueryPaymentAsync(string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT " + PaymentReadColumns + " FROM payments WHERE " + where, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadPayment(reader) : null;
    }

    private static PaymentRecord ReadPayment(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetString(7),
            r.GetString(8), r.NullableString(9), r.NullableString(10), r.NullableString(11), r.NullableInt(12), r.GetInt64(13), r.GetInt64(14),
            r.GetInt64(15), r.GetInt64(16) != 0, r.NullableString(17), r.NullableString(18), r.IsDBNull(19) ? null : r.GetInt64(19),
            r.NullableInt(20), r.NullableString(21));

    private static RefundRecord ReadRefund(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.NullableString(6), r.GetInt64(7), r.GetInt64(8));
}
