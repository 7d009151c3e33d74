namespace PaySim.Simulator.Sms;

internal sealed class NoSmsFaults : ISmsDeliveryPolicy
{
    public static readonly NoSmsFaults Instance = new();

    public SmsDeliveryPlan Adjust(string phone, string correlationId, SmsDeliveryPlan plan) => plan;
}
