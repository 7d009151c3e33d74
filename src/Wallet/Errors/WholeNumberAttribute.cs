namespace PaySim.Wallet.Errors;

/// <summary>
/// The range a whole-number field of a request body takes (and, optionally, what else its rule says), so that a value of
/// the wrong kind ("100", 1.5, true) is answered with the field's own range rather than its .NET type's.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class WholeNumberAttribute(long min, long max) : Attribute
{
    public long Min { get; } = min;

    public long Max { get; } = max;

    /// <summary>Words after the range, e.g. "(at most what is left of the payment), or left out to refund the rest".</summary>
    public string? Note { get; init; }
}
