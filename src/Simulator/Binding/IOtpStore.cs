namespace PaySim.Simulator.Binding;

/// <summary>One live OTP per binding: validity, attempts left and the resend cooldown.</summary>
internal interface IOtpStore
{
    /// <summary>Stores a fresh code for the binding unless the cooldown since the last one has not passed.</summary>
    bool TryIssue(string bindingId, string code, DateTimeOffset now, out TimeSpan retryAfter);

    OtpVerdict Verify(string bindingId, string code, DateTimeOffset now, out int attemptsLeft);

    void Clear();
}
