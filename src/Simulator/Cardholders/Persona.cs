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
}
