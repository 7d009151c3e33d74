namespace PaySim.Simulator.Binding;

internal enum OtpVerdict
{
    Accepted,
    Wrong,
    Expired,
    AttemptsExceeded,
    Unknown,
}
