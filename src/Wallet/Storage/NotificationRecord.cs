namespace PaySim.Wallet.Storage;

internal sealed record NotificationRecord(long Id, string UserId, string? PaymentId, string Kind, string Text, long CreatedAtMs);
