namespace PaySim.Wallet.Storage;

/// <summary>Bearer sessions. Only a SHA-256 of the token is stored, so a leaked database holds no usable token.</summary>
internal sealed class SessionStore(WalletDatabase database)
{
    public async Task InsertAsync(string tokenHash, string userId, long createdAtMs, long expiresAtMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($t, $u, $c, $e)",
            ("$t", tokenHash), ("$u", userId), ("$c", createdAtMs), ("$e", expiresAtMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<string?> FindUserAsync(string tokenHash, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT user_id FROM sessions WHERE token_hash = $t AND expires_at > $now", ("$t", tokenHash), ("$now", nowMs));
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
