namespace PaySim.Simulator.Sms;

/// <summary>
/// The fault engine's hook into SMS delivery (smsDelay, smsDrop, smsDuplicate): it may change the
/// plan the persona produced. The default changes nothing.
/// </summary>
internal interface ISmsDeliveryPolicy
{
    SmsDeliveryPlan Adjust(string phone, string correlationId, SmsDeliveryPlan plan);
}
