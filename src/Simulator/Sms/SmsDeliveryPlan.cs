namespace PaySim.Simulator.Sms;

/// <summary>How one SMS is delivered: after a delay, not at all, or more than once.</summary>
internal readonly record struct SmsDeliveryPlan(TimeSpan Delay, bool Drop, int Copies)
{
    public static SmsDeliveryPlan Immediate => new(TimeSpan.Zero, false, 1);
}
