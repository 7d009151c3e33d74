using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>One cardholder on the issuer's file, plus what a test client should type and expect.</summary>
internal sealed record CardholderRecord
{
    public required int Index { get; init; }
    public required string Pan { get; init; }
    public required CardNetwork Network { get; init; }
    public required string Expiry { get; init; }
    public required string Cvv { get; init; }
    public required string HolderName { get; init; }
    public required string IdNumber { get; init; }
    public required string Phone { get; init; }
    public required long BalanceMinor { get; init; }
    public required long DailyLimitMinor { get; init; }
    public required string Currency { get; init; }
    public required string Status { get; init; }
    public required Persona Persona { get; init; }
    public required string Locale { get; init; }
    public required string InputHolderName { get; init; }
    public required string InputIdNumber { get; init; }
    public required string InputPhone { get; init; }
    public required string ExpectedResponseCode { get; init; }
    public required string ExpectedDeclineReason { get; init; }
    public MagicBehaviour Magic { get; init; }

    public bool IsMagic => Magic != MagicBehaviour.None;
}
