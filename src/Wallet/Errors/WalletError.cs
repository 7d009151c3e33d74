namespace PaySim.Wallet.Errors;

/// <summary>
/// One API error: a stable <see cref="Code"/>, the HTTP status, a message naming the cause, and optional
/// hints a client can act on.
/// </summary>
internal sealed record WalletError(int Status, string Code, string Message)
{
    public int? AttemptsLeft { get; init; }

    public long? RetryAfterMs { get; init; }

    /// <summary>The issuer's ISO 8583 response code when the issuer declined.</summary>
    public string? IssuerCode { get; init; }

    /// <summary>The issuer node that answered, when one did.</summary>
    public string? Node { get; init; }
}
