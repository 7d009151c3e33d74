namespace PaySim.Simulator.Binding;

internal enum OtpVerdict
{
    Accepted,
    Wrong,
    Expired,
    AttemptsExceeded,
    Unknown,

    /// <summary>The live code was accepted already, and this is another code (nothing counted).</summary>
    Used,
}
