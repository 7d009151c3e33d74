using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Sms;


namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// Applies sms* rules to the SMS delivery path. smsReorder holds the message back for its window
/// (a message sent meanwhile overtakes it); smsAfterExpiry delivers it after the OTP's validity.
/// </summary>
internal sealed class FaultSmsPolicy(FaultEngine engine, string smsNode, TimeSpan otpTtl) : ISmsDeliveryPolicy
{
    public SmsDeliveryPlan Adjust(string phone, string correlationId, SmsDeliveryPlan plan)
    {
        var decision = engine.Decide(FaultRequest.ForSms(smsNode, phone));
        if (decision.IsNone)
        {
            return plan;
        }

        // A message is not an in-flight call: it holds no maxActiveFaults slot beyond this decision.
        engine.Complete(decision);
        var sms = decision.Sms;
        var delay = plan.Delay + sms.Delay + sms.ReorderWindow;
        if (sms.AfterExpiry is { } extra && delay < otpTtl + extra)
        {
            delay = otpTtl + extra;
        }

        return new SmsDeliveryPlan(delay, plan.Drop || sms.Drop, Math.Max(plan.Copies, sms.Copies));
    }
}
