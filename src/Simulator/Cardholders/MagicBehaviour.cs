namespace PaySim.Simulator.Cardholders;

/// <summary>The fixed outcome a magic test card forces, whatever the seed.</summary>
internal enum MagicBehaviour
{
    None,
    Approve,
    DoNotHonour,
    InvalidCard,
    InsufficientFunds,
    Expired,
    OtpAlwaysWrong,
    OverLimit,
    IssuerUnavailable,
    SystemError,
}
