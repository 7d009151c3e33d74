using Microsoft.Data.Sqlite;

namespace PaySim.Wallet.Storage;

/// <summary>Pending bindings and bound cards.</summary>
internal sealed class CardStore(WalletDatabase database)
{
    private const string BindingColumns = "id, user_id, issuer_binding_id, status, last4, masked_phone, card_id, error_code, created_at";
    private const string CardColumns = "id, user_id, card_token, last4, network, created_at";

    public async Task InsertBindingAsync(BindingRecord binding, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO bindings (" + BindingColumns + ", updated_at) VALUES ($id, $u, $ib, $s, $l4, $mp, $c, $e, $at, $at)",
            ("$id", binding.Id), ("$u", binding.UserId), ("$ib", binding.IssuerBindingId), ("$s", binding.Status), ("$l4", binding.Last4),
            ("$mp", binding.MaskedPhone), ("$c", binding.CardId), ("$e", binding.ErrorCode), ("$at", binding.CreatedAtMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task UpdateBindingAsync(string id, string status, string? issuerBindingId, string? maskedPhone, string? cardId, string? errorCode, long nowMs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            """
            UPDATE bindings SET status = $s,
              issuer_binding_id = COALESCE($ib, issuer_binding_id),
              masked_phone = COALESCE($mp, masked_phone),
              card_id = COALESCE($c, card_id),
              error_code = $e, updated_at = $now
            WHERE id = $id
            """,
            ("$id", id), ("$s", status), ("$ib", issuerBindingId), ("$mp", maskedPhone), ("$c", cardId), ("$e", errorCode), ("$now", nowMs));
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<BindingRecord?> GetBindingAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT " + BindingColumns + " FROM bindings WHERE id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new BindingRecord(reader.GetString(0), reader.GetString(1), reader.NullableString(2), reader.GetString(3), reader.GetString(4),
            reader.NullableString(5), reader.NullableString(6), reader.NullableString(7), reader.GetInt64(8));
    }

    /// <summary>
    /// Stores the card a binding produced, once: concurrent confirms of one binding all get the card the first
    /// one stored (a unique index on the binding), never a card each.
    /// </summary>
    public async Task<CardRecord> InsertCardOnceAsync(CardRecord card, string bindingId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "INSERT INTO cards (" + CardColumns + ", binding_id) VALUES ($id, $u, $t, $l4, $n, $at, $b)",
            ("$id", card.Id), ("$u", card.UserId), ("$t", card.CardToken), ("$l4", card.Last4), ("$n", card.Network), ("$at", card.CreatedAtMs), ("$b", bindingId));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            return card;
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            await using var existing = connection.Command("SELECT " + CardColumns + " FROM cards WHERE binding_id = $b", ("$b", bindingId));
            await using var reader = await existing.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadCard(reader) : throw new InvalidOperationException($"binding {bindingId} has a card that cannot be read", e);
        }
    }

    public async Task<CardRecord?> GetCardAsync(string userId, string? cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = cardId is null
            ? connection.Command("SELECT " + CardColumns + " FROM cards WHERE user_id = $u ORDER BY created_at DESC, rowid DESC LIMIT 1", ("$u", userId))
            : connection.Command("SELECT " + CardColumns + " FROM cards WHERE user_id = $u AND id = $id", ("$u", userId), ("$id", cardId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadCard(reader) : null;
    }

    public async Task<IReadOnlyList<CardRecord>> ListCardsAsync(string userId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command("SELECT " + CardColumns + " FROM cards WHERE user_id = $u ORDER BY created_at, rowid", ("$u", userId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var cards = new List<CardRecord>();
        while (await reader.ReadAsync(ct))
        {
            cards.Add(ReadCard(reader));
        }

        return cards;
    }

    private static CardRecord ReadCard(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5));
}
