namespace PaySim.Simulator.Risk;

/// <summary>
/// Every card's recent authorizations, for the window rules (repeat, velocity, amount). Shared by every node
/// (and, with Redis state, by every process of the cluster).
/// </summary>
internal interface IRiskWindows
{
    /// <summary>
    /// Checks one authorization against the window rules, in the order repeat, velocity, amount, and records it
    /// unless a rule declines it, all in one step. Returns the rule that fired: the first one that declines,
    /// else the first one that asks for a challenge (the attempt is then recorded), else null (recorded).
    /// </summary>
    string? Admit(string pan, long amountMinor, string merchantId, DateTimeOffset now, RiskRules rules);

    void Clear();
}
