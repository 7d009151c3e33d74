namespace PaySim.Wallet.Storage;

/// <summary>
/// One pending password reset per phone, registered or not (a row only for registered phones would tell who is
/// registered): the code's hash, when it expires and the wrong codes so far. Shared by the host's instances.
/// </summary>
internal sealed class PasswordResetStore(WalletDatabase database)
{
    /// <summary>Starts a reset, replacing any earlier one for the phone (its code stops working).</summary>
    public async Task StartAsync(string phone, string codeHash, long expiresAtMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            INSERT INTO password_resets (phone, code_hash, expires_at, failures) VALUES ($p, $h, $e, 0)
            ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, failures = 0
            """,
            ("$p", phone), ("$h", codeHash), ("$e", expiresAtMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Uses the code up if it is the live one: true once, for one caller, however many instances try at once.
    /// Otherwise counts a wrong code against a live reset and ends the reset at <paramref name="maxAttempts"/>;
    /// returns the attempts left (0 when none is live, expired, or used up).
    /// </summary>
    public async Task<(bool Used, int AttemptsLeft)> TryUseAsync(string phone, string codeHash, long nowMs, int maxAttempts, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using (var use = connection.Command(
            "DELETE FROM password_resets WHERE phone = $p AND code_hash = $h AND expires_at > $now AND failures < $max RETURNING phone",
            ("$p", phone), ("$h", codeHash), ("$now", nowMs), ("$max", maxAttempts)))
        {
            if (await use.ExecuteScalarAsync(ct) is string)
            {
                return (true, 0);
            }
        }

        await using var count = connection.Command(
            "UPDATE password_resets SET failures = failures + 1 WHERE phone = $p AND expires_at > $now AND failures < $max RETURNING failures",
            ("$p", phone), ("$now", nowMs), ("$max", maxAttempts));
        return (false, await count.ExecuteScalarAsync(ct) is long failures ? Math.Max(0, maxAttempts - (int)failures) : 0);
    }

    /// <summary>
    /// Sets the user's new password hash and ends every session of the user, in one transaction (both or neither);
    /// forgets the phone's wrong passwords too. False when no user has the phone.
    /// </summary>
    public async Task<bool> SetPasswordAsync(string phone, string passwordHash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = connection.BeginTransaction();
        string? userId;
        await using (var update = connection.Command("UPDATE users SET password_hash = $h WHERE phone = $p RETURNING id", ("$h", passwordHash), ("$p", phone)))
        {
            update.Transaction = transaction;
            userId = await update.ExecuteScalarAsync(ct) as string;
        }

        if (userId is null)
        {
            return false;
        }

        foreach (var (sql, name, value) in new[] { ("DELETE FROM sessions WHERE user_id = $v", "$v", userId), ("DELETE FROM login_attempts WHERE phone = $v", "$v", phone) })
        {
            await using var delete = connection.Command(sql, (name, value));
            delete.Transaction = transaction;
            await delete.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return true;
    }
}
