namespace PaySim.Wallet.Storage;

/// <summary>What the wallet told the user (push/SMS in a real wallet): one record for every payment outcome and refund.</summary>
internal sealed class NotificationStore(WalletDatabase database)
{
    public async Task AddAsync(string userId, string? paymentId, string kind, string text, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO notifications (user_id, payment_id, kind, text, created_at) VALUES ($u, $p, $k, $t, $at)",
            ("$u", userId), ("$p", paymentId), ("$k", kind), ("$t", text), ("$at", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string userId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, user_id, payment_id, kind, text, created_at FROM notifications WHERE user_id = $u ORDER BY id DESC LIMIT $l",
            ("$u", userId), ("$l", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<NotificationRecord>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(new NotificationRecord(reader.GetInt64(0), reader.GetString(1), reader.NullableString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5)));
        }

        return list;
    }
}
