namespace PaySim.Wallet.Storage;

/// <summary>
/// Wrong passwords per phone, registered or not (a lock only for registered phones would tell who is
/// registered). Shared by the host's instances through the database, like the PIN count.
/// </summary>
internal sealed class LoginAttemptStore(WalletDatabase database)
{
    public async Task<long> LockedUntilAsync(string phone, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT locked_until FROM login_attempts WHERE phone = $p", ("$p", phone));
        return await command.ExecuteScalarAsync(ct) is long until ? until : 0;
    }

    /// <summary>
    /// Counts one wrong password atomically. Reaching <paramref name="maxAttempts"/> locks until
    /// <paramref name="lockUntilMs"/> and starts the count again, as the PIN does.
    /// </summary>
    public async Task<(int Failures, long LockedUntilMs)> RecordFailureAsync(string phone, int maxAttempts, long lockUntilMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            INSERT INTO login_attempts (phone, failures, locked_until)
              VALUES ($p, CASE WHEN 1 >= $max THEN 0 ELSE 1 END, CASE WHEN 1 >= $max THEN $until ELSE 0 END)
            ON CONFLICT (phone) DO UPDATE SET
              locked_until = CASE WHEN failures + 1 >= $max THEN $until ELSE locked_until END,
              failures = CASE WHEN failures + 1 >= $max THEN 0 ELSE failures + 1 END
            RETURNING failures, locked_until
            """,
            ("$p", phone), ("$max", maxAttempts), ("$until", lockUntilMs));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt32(0), reader.GetInt64(1)) : (0, 0);
    }

    /// <summary>A right password forgets the phone's wrong ones.</summary>
    public async Task ResetAsync(string phone, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("DELETE FROM login_attempts WHERE phone = $p", ("$p", phone));
        await command.ExecuteNonQueryAsync(ct);
    }
}
