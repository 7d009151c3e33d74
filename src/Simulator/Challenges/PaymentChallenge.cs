namespace PaySim.Simulator.Challenges;

/// <summary>
/// An Authorize that answered 1A: what to hold once the cardholder types the SMS code (AuthenticatePayment).
/// <see cref="Completed"/> is set once, by the call whose code was right, before it holds; <see cref="Dead"/>
/// after the allowed wrong codes. Neither can be undone.
/// </summary>
internal sealed record PaymentChallenge(
    string Id,
    string Pan,
    string CardToken,
    long AmountMinor,
    string MerchantId,
    string OrderReference,
    string IdempotencyKey,
    string Rule,
    DateTimeOffset CreatedAt)
{
    public bool Completed { get; init; }

    public bool Dead { get; init; }
}
