namespace PaySim.Wallet.Storage;

internal sealed record BindingRecord(
    string Id,
    string UserId,
    string? IssuerBindingId,
    string Status,
    string Last4,
    string? MaskedPhone,
    string? CardId,
    string? ErrorCode,
    long CreatedAtMs);
