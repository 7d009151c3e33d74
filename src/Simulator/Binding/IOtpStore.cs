namespace PaySim.Simulator.Binding;

/// <summary>One live OTP per binding: validity, attempts left and the resend cooldown.</summary>
internal interface IOtpStore
{
    /// <summary>Stores a fresh code for the binding unless the cooldown since the last one has not passed.</summary>
    bool TryIssue(string bindingId, string code, DateTimeOffset now, out TimeSpan retryAfter);

    /// <summary>
    /// Checks a code against the live one. The accepted code stays accepted (until a fresh code is issued): the same code
    /// again is <see cref="OtpVerdict.Accepted"/>, so every caller racing with it finishes the confirmation; another code is
    /// <see cref="OtpVerdict.Used"/>. Neither counts an attempt.
    /// </summary>
    OtpVerdict Verify(string bindingId, string code, DateTimeOffset now, out int attemptsLeft);

    void Clear();
}
