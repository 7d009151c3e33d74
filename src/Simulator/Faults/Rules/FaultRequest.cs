using Grpc.Core;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// One call as the fault engine sees it. <see cref="Method"/> may be the short name
/// ("Authorize") or the full gRPC path ("/paysim.issuer.v1.Issuer/Authorize"). Pan, phone and
/// amount are optional: the host fills what the request carries (only needed when a loaded rule
/// matches on them; see <see cref="FaultEngine.NeedsRequestFields"/>).
/// </summary>
public readonly struct FaultRequest
{
    public FaultRequest(string node, string method, Metadata? headers = null, string? pan = null, string? phone = null, long? amountMinor = null, long sequence = 0, bool smsDelivery = false)
    {
        Sequence = sequence;
        SmsDelivery = smsDelivery;
        Node = node;
        Method = method;
        Headers = headers;
        Pan = pan;
        Phone = phone;
        AmountMinor = amountMinor;
    }

    public string Node { get; }

    public string Method { get; }

    public Metadata? Headers { get; }

    public string? Pan { get; }

    public string? Phone { get; }

    public long? AmountMinor { get; }

    /// <summary>
    /// The call's number for the draws; 0 lets the engine count calls per (node, method). A caller
    /// that passes its own numbers replays exactly even when calls race.
    /// </summary>
    public long Sequence { get; }

    /// <summary>
    /// True when the SMS delivery path asks (only sms* rules apply); false for a gRPC call (only
    /// the other kinds apply), so one rule on node "sms" is never counted twice for one message.
    /// </summary>
    public bool SmsDelivery { get; }

    /// <summary>The question the SMS gateway asks before delivering a message to <paramref name="phone"/>.</summary>
    public static FaultRequest ForSms(string smsNode, string phone) => new(smsNode, "Send", phone: phone, smsDelivery: true);
}
