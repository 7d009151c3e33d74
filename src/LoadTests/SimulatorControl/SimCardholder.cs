namespace PaySim.LoadTests.SimulatorControl;

/// <summary>A synthetic cardholder from the control plane (GET /v1/cardholders).</summary>
internal sealed record SimCardholder
{
    public string Pan { get; init; } = string.Empty;
    public string Expiry { get; init; } = string.Empty;
    public string Cvv { get; init; } = string.Empty;
    public string HolderName { get; init; } = string.Empty;
    public string IdNumber { get; init; } = string.Empty;
    public string Phone { get; init; } = string.Empty;
    public long BalanceMinor { get; init; }

    /// <summary>The card's daily spending limit in minor units (0 when the simulator did not say).</summary>
    public long DailyLimitMinor { get; init; }

    /// <summary><c>active</c>, <c>expired</c> or <c>blocked</c> (empty when the simulator did not say).</summary>
    public string Status { get; init; } = string.Empty;
    public string Currency { get; init; } = "CNY";
    public string Persona { get; init; } = "healthy";
    public string Locale { get; init; } = string.Empty;
    public string InputHolderName { get; init; } = string.Empty;
    public string InputIdNumber { get; init; } = string.Empty;
    public string InputPhone { get; init; } = string.Empty;
    public string ExpectedResponseCode { get; init; } = string.Empty;
    public string ExpectedDeclineReason { get; init; } = string.Empty;
    public bool Magic { get; init; }
}
