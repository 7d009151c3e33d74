namespace PaySim.LoadTests.Wallets;

/// <summary>A completed payment, or (202, SMS step-up) one waiting for its code.</summary>
public sealed record PaymentDone(string PaymentId, string? Status)
{
    /// <summary>With a 202: the issuer's challenge, which the step-up SMS carries as its correlation id (null when the wallet does not say).</summary>
    public string? ChallengeId { get; init; }
}
