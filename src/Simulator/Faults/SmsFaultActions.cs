namespace PaySim.Simulator.Faults;

/// <summary>
/// What the SMS delivery path must do with one message. Several SMS rules may match one message;
/// their effects combine (delays add, drop wins over everything else).
/// </summary>
internal readonly struct SmsFaultActions
{
    /// <summary>Extra delay before delivery (smsDelay; delays of several rules add).</summary>
    public TimeSpan Delay { get; init; }

    public bool Drop { get; init; }

    /// <summary>How many times the message is delivered; 1 unless smsDuplicate fired.</summary>
    public int Copies { get; init; }

    /// <summary>When not zero, hold the message until the next one for the phone is delivered, at most this long.</summary>
    public TimeSpan ReorderWindow { get; init; }

    /// <summary>When set, deliver this long after the OTP expires (on top of <see cref="Delay"/>).</summary>
    public TimeSpan? AfterExpiry { get; init; }

    public bool IsNone => Delay == TimeSpan.Zero && !Drop && Copies <= 1 && ReorderWindow == TimeSpan.Zero && AfterExpiry is null;
}
