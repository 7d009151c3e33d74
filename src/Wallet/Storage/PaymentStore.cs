using Microsoft.Data.Sqlite;

namespace PaySim.Wallet.Storage;

/// <summary>Payments and refunds. Uniqueness of (user, Idempotency-Key) is what makes wallet-level replays safe.</summary>
internal sealed class PaymentStore(WalletDatabase database)
{
    private const string PaymentColumns =
        "id, user_id, idempotency_key, card_id, amount_minor, currency, merchant, order_reference, status, authorization_id, error_code, error_message, error_status, refunded_minor, created_at";

    private const string RefundColumns = "id, payment_id, user_id, idempotency_key, amount_minor, status, issuer_refund_id, created_at";

    public async Task<bool> TryInsertAsync(PaymentRecord p, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO payments (" + PaymentColumns + ", updated_at) VALUES ($id, $u, $k, $c, $a, $cur, $m, $o, $s, $auth, $ec, $em, $es, 0, $at, $at)",
            ("$id", p.Id), ("$u", p.UserId), ("$k", p.IdempotencyKey), ("$c", p.CardId), ("$a", p.AmountMinor), ("$cur", p.Currency),
            ("$m", p.Merchant), ("$o", p.OrderReference), ("$s", p.Status), ("$auth", p.AuthorizationId), ("$ec", p.ErrorCode),
            ("$em", p.ErrorMessage), ("$es", p.ErrorStatus), ("$at", p.CreatedAtMs));
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

    /// <summary>Moves a failed payment back to pending; false when another request got there first.</summary>
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

    public async Task SetOutcomeAsync(string id, string status, string? authorizationId, string? errorCode, string? errorMessage, int? errorStatus, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE payments SET status = $s, authorization_id = COALESCE($auth, authorization_id),
              error_code = $ec, error_message = $em, error_status = $es, updated_at = $now
            WHERE id = $id
            """,
            ("$id", id), ("$s", status), ("$auth", authorizationId), ("$ec", errorCode), ("$em", errorMessage), ("$es", errorStatus), ("$now", nowMs));
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
            "SELECT " + RefundColumns + " FROM refunds WHERE payment_id = $p AND idempotency_key = $k", ("$p", paymentId), ("$k", idempotencyKey));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new RefundRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(5), reader.NullableString(6), reader.GetInt64(7))
            : null;
    }

    public async Task SetRefundOutcomeAsync(string id, string status, string? issuerRefundId, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "UPDATE refunds SET status = $s, issuer_refund_id = COALESCE($ir, issuer_refund_id), updated_at = $now WHERE id = $id",
            ("$id", id), ("$s", status), ("$ir", issuerRefundId), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task DeleteRefundAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("DELETE FROM refunds WHERE id = $id", ("$id", id));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<TransactionRecord>> ListTransactionsAsync(string userId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            SELECT id, 'payment', status, amount_minor, currency, merchant, order_reference, id, error_code, created_at
              FROM payments WHERE user_id = $u
            UNION ALL
            SELECT r.id, 'refund', r.status, r.amount_minor, p.currency, p.merchant, p.order_reference, p.id, NULL, r.created_at
              FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.user_id = $u
            ORDER BY 10 DESC, 1 DESC
            LIMIT $limit
            """,
            ("$u", userId), ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<TransactionRecord>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new TransactionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.NullableString(8), reader.GetInt64(9)));
        }

        return list;
    }

    private async Task<PaymentRecord?> QueryPaymentAsync(string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT " + PaymentColumns + " FROM payments WHERE " + where, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new PaymentRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
            reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.NullableString(9), reader.NullableString(10),
            reader.NullableString(11), reader.NullableInt(12), reader.GetInt64(13), reader.GetInt64(14));
    }
}
