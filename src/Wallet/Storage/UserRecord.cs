namespace PaySim.Wallet.Storage;

internal sealed record UserRecord(
    string Id,
    string Phone,
    string? Name,
    string PasswordHash,
    string PinHash,
    int PinFailures,
    long PinLockedUntilMs,
    long CreatedAtMs);
