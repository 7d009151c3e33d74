namespace PaySim.Simulator.Cardholders;

/// <summary>Why a synthetic cardholder's binding or payment succeeds or fails.</summary>
internal enum Persona
{
    Healthy,
    LowBalance,
    Expired,
    Blocked,
    PhoneMismatch,
    IdMismatch,
    NameMismatch,
    SmsUnreachable,
    SlowSms,
    Magic,

    /// <summary>The issuer's risk rule <c>riskFlagged</c> declines (59) every payment above a small amount.</summary>
    RiskFlagged,

    /// <summary>Pays often: a large balance and daily limit, so only the velocity and amount rules stop it.</summary>
    FrequentPayer,
}
