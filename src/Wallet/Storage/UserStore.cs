using Microsoft.Data.Sqlite;

namespace PaySim.Wallet.Storage;

internal sealed class UserStore(WalletDatabase database)
{
    private const string Columns = "id, phone, name, password_hash, pin_hash, pin_failures, pin_locked_until, created_at";

    /// <summary>False when the phone is already registered.</summary>
    public async Task<bool> TryInsertAsync(UserRecord user, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO users (" + Columns + ") VALUES ($id, $phone, $name, $pw, $pin, 0, 0, $at)",
            ("$id", user.Id), ("$phone", user.Phone), ("$name", user.Name), ("$pw", user.PasswordHash), ("$pin", user.PinHash), ("$at", user.CreatedAtMs));
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

    public Task<UserRecord?> FindByPhoneAsync(string phone, CancellationToken ct) => FindAsync("phone", phone, ct);

    public Task<UserRecord?> GetAsync(string id, CancellationToken ct) => FindAsync("id", id, ct);

    /// <summary>
    /// Counts one wrong PIN atomically (several instances share the row). Reaching the limit locks until
    /// <paramref name="lockUntilMs"/> and starts the count again, so the user gets a fresh set of tries afterwards.
    /// </summary>
    public async Task<(int Failures, long LockedUntilMs)> RecordPinFailureAsync(string id, int maxAttempts, long lockUntilMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE users SET
              pin_locked_until = CASE WHEN pin_failures + 1 >= $max THEN $until ELSE pin_locked_until END,
              pin_failures = CASE WHEN pin_failures + 1 >= $max THEN 0 ELSE pin_failures + 1 END
            WHERE id = $id
            RETURNING pin_failures, pin_locked_until
            """,
            ("$id", id), ("$max", maxAttempts), ("$until", lockUntilMs));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt32(0), reader.GetInt64(1)) : (0, 0);
    }

    public async Task ResetPinFailuresAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("UPDATE users SET pin_failures = 0 WHERE id = $id AND pin_failures <> 0", ("$id", id));
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<UserRecord?> FindAsync(string column, string value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT " + Columns + " FROM users WHERE " + column + " = $v", ("$v", value));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new UserRecord(reader.GetString(0), reader.GetString(1), reader.NullableString(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt32(5), reader.GetInt64(6), reader.GetInt64(7));
    }
}
