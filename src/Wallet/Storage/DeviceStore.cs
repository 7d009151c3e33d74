namespace PaySim.Wallet.Storage;

/// <summary>
/// The devices (<c>X-Device-Id</c>) each user has logged in from, and the SMS challenges of logins from new ones.
/// Shared by the host's instances: a device trusted on one is trusted on all, a challenge started on one is verified on any.
/// </summary>
internal sealed class DeviceStore(WalletDatabase database)
{
    /// <summary>True when the device is trusted for the user, or the user trusts no device yet (a user made before devices were kept).</summary>
    public async Task<bool> IsTrustedAsync(string userId, string deviceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT COUNT(*) = 0 OR SUM(device_id = $d) > 0 FROM devices WHERE user_id = $u", ("$u", userId), ("$d", deviceId));
        return await command.ExecuteScalarAsync(ct) is long trusted && trusted != 0;
    }

    public async Task TrustAsync(string userId, string deviceId, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT OR IGNORE INTO devices (user_id, device_id, created_at) VALUES ($u, $d, $now)", ("$u", userId), ("$d", deviceId), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task StartChallengeAsync(string challengeId, string userId, string deviceId, string codeHash, long expiresAtMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO device_challenges (id, user_id, device_id, code_hash, expires_at, failures) VALUES ($id, $u, $d, $h, $e, 0)",
            ("$id", challengeId), ("$u", userId), ("$d", deviceId), ("$h", codeHash), ("$e", expiresAtMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Uses the challenge up if the code is its live one (once, for one caller) and returns its user and device; otherwise
    /// counts a wrong code against a live challenge and returns the attempts left (0 when none is live, expired or used up).
    /// </summary>
    public async Task<(string? UserId, string? DeviceId, int AttemptsLeft)> TryUseChallengeAsync(string challengeId, string codeHash, long nowMs, int maxAttempts, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using (var use = connection.Command(
            "DELETE FROM device_challenges WHERE id = $id AND code_hash = $h AND expires_at > $now AND failures < $max RETURNING user_id, device_id",
            ("$id", challengeId), ("$h", codeHash), ("$now", nowMs), ("$max", maxAttempts)))
        await using (var reader = await use.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                return (reader.GetString(0), reader.GetString(1), 0);
            }
        }

        await using var count = connection.Command(
            "UPDATE device_challenges SET failures = failures + 1 WHERE id = $id AND expires_at > $now AND failures < $max RETURNING failures",
            ("$id", challengeId), ("$now", nowMs), ("$max", maxAttempts));
        return (null, null, await count.ExecuteScalarAsync(ct) is long failures ? Math.Max(0, maxAttempts - (int)failures) : 0);
    }
}
