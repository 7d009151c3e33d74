using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;

namespace PaySim.Simulator.Calls;

/// <summary>
/// One (node, method): where its calls land for the fault hook, and its counters, cached until a
/// stats reset starts a new generation of <see cref="CallMetrics"/>.
/// </summary>
internal sealed class CallRoute(NodeIdentity node, CallPipeline pipeline, string method)
{
    private MethodCounters? _counters;

    public CallSite Site { get; } = new(node.Name, node.Kind, method);

    public CallPipeline Pipeline => pipeline;

    /// <summary>Counts the call as started; returns the counters to finish it on and its start timestamp.</summary>
    public (MethodCounters Counters, long Started) Start()
    {
        var counters = _counters;
        if (counters is null || counters.Generation != pipeline.Metrics.Generation)
        {
            _counters = counters = pipeline.Metrics.For(Site.Node, Site.Method);
        }

        counters.AddCall();
        return (counters, pipeline.Time.GetTimestamp());
    }

    /// <summary>A reply went out: an error if the handler set a non-OK status, a decline if its code is not 00.</summary>
    public void Completed(MethodCounters counters, ServerCallContext context, object response, long started)
    {
        if (context.Status.StatusCode != StatusCode.OK)
        {
            counters.AddError();
        }
        else if (IsDecline(response))
        {
            counters.AddDecline();
        }

        counters.RecordLatency(pipeline.Time.GetElapsedTime(started));
    }

    public void Failed(MethodCounters counters, long started)
    {
        counters.AddError();
        counters.RecordLatency(pipeline.Time.GetElapsedTime(started));
    }

    private static bool IsDecline(object response) => response switch
    {
        StartBindingReply r => r.ResponseCode != "00",
        ConfirmBindingReply r => r.ResponseCode != "00",
        ResendOtpReply r => r.ResponseCode != "00",
        AuthorizeReply r => r.ResponseCode != "00",
        CaptureReply r => r.ResponseCode != "00",
        RefundReply r => r.ResponseCode != "00",
        VoidReply r => r.ResponseCode != "00",
        SendReply r => !r.Accepted,
        _ => false,
    };
}
