namespace PaySim.Simulator.Risk;

/// <summary>What a risk rule does when it fires: decline the payment, or ask for the SMS code (1A).</summary>
internal enum RiskAction
{
    Decline,
    Challenge,
}
