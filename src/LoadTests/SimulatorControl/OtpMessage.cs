namespace PaySim.LoadTests.SimulatorControl;

/// <summary>An OTP as the phone shows it: the code, when the issuer sent it (simulator clock) and its place in the inbox.</summary>
internal sealed record OtpMessage(string Code, DateTimeOffset SentAt, long Sequence);
