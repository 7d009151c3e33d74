using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Faults.Errors;
using PaySim.Simulator.Faults.Reset;
using PaySim.Simulator.Hosting;

namespace PaySim.Simulator.Faults;

/// <summary>
/// Plugs the engine into every issuer and SMS call. Order per call: capacity queue, then the
/// added latency, then the terminal action (error, decline, hang, reset, outage) or the handler.
/// When nothing fires the call goes straight to the handler: no allocation, no extra await.
/// </summary>
internal sealed class FaultCallHook(FaultEngine engine, TimeProvider time) : ICallFaultHook
{
    public Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task<TResponse>> next)
        where TRequest : class
        where TResponse : class
    {
        var faultRequest = Describe(site, request, context);
        var decision = engine.Decide(in faultRequest);
        if (decision.IsNone && !engine.Journal.Enabled)
        {
            return next(request);
        }

        return ApplyAsync(site, decision, request, context, next);
    }

    public Task InterceptStreamingAsync<TRequest>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task> next)
        where TRequest : class
    {
        var faultRequest = Describe(site, request, context);
        var decision = engine.Decide(in faultRequest);
        if (decision.IsNone && !engine.Journal.Enabled)
        {
            return next(request);
        }

        return ApplyAsync<TRequest, object>(site, decision, request, context, async r =>
        {
            await next(r).ConfigureAwait(false);
            return string.Empty;
        });
    }

    private FaultRequest Describe<TRequest>(CallSite site, TRequest request, ServerCallContext context)
        where TRequest : class
    {
        var headers = Headers(context);
        if (!engine.NeedsRequestFields)
        {
            return new FaultRequest(site.Node, site.Method, headers);
        }

        // Only when a rule matches on card, phone or amount: read them from the request types that carry them.
        return request switch
        {
            StartBindingRequest r => new FaultRequest(site.Node, site.Method, headers, pan: r.Pan, phone: r.Phone),
            AuthorizeRequest r => new FaultRequest(site.Node, site.Method, headers, amountMinor: r.AmountMinor),
            CaptureRequest r => new FaultRequest(site.Node, site.Method, headers, amountMinor: r.AmountMinor),
            RefundRequest r => new FaultRequest(site.Node, site.Method, headers, amountMinor: r.AmountMinor),
            SendRequest r => new FaultRequest(site.Node, site.Method, headers, phone: r.Phone),
            _ => new FaultRequest(site.Node, site.Method, headers),
        };
    }

    // ServerCallContext.RequestHeaders builds a Metadata copy of every header on first use; read
    // the HTTP headers directly and pay for the copy only when a rule or an x-sim-* header needs it.
    private Metadata? Headers(ServerCallContext context)
    {
        if (engine.NeedsHeaders)
        {
            return context.RequestHeaders;
        }

        if (!engine.HeaderOverrides)
        {
            return null;
        }

        var http = context.GetHttpContext().Request.Headers;
        return http.ContainsKey(FaultDefaults.HeaderFault) || http.ContainsKey(FaultDefaults.HeaderDelayMs) || http.ContainsKey(FaultDefaults.HeaderStatus)
            ? context.RequestHeaders
            : null;
    }

    private async Task<TResponse> ApplyAsync<TRequest, TResponse>(CallSite site, FaultDecision decision, TRequest request, ServerCallContext context, Func<TRequest, Task<TResponse>> next)
        where TRequest : class
        where TResponse : class
    {
        var started = time.GetTimestamp();
        var outcome = "OK";
        var entered = false;
        var cancellation = context.CancellationToken;
        try
        {
            if (decision.Gate is { } gate)
            {
                await gate.EnterAsync(cancellation).ConfigureAwait(false);
                entered = true;
            }

            if (decision.Latency > TimeSpan.Zero)
            {
                await DelayAtLeastAsync(decision.Latency, cancellation).ConfigureAwait(false);
            }

            switch (decision.Action)
            {
                case FaultAction.Error:
                case FaultAction.Outage:
                    outcome = GrpcStatusNames.Name(decision.Status);
                    throw Error(decision);

                case FaultAction.Decline when Decline<TResponse>(decision, site.Node) is { } declined:
                    outcome = "decline " + decision.DeclineCode;
                    return declined;

                case FaultAction.Hang:
                    outcome = "hang";
                    await Task.Delay(decision.HangMax, time, cancellation).ConfigureAwait(false);
                    throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"{FaultDefaults.MessagePrefix}hang ended after {FaultDuration.Format(decision.HangMax)} (rule '{decision.RuleName}')"));

                case FaultAction.Reset:
                    if (decision.ResetWhen == ResetWhen.After)
                    {
                        // The handler runs and its effects stay (money moves); only the reply is lost.
                        await next(request).ConfigureAwait(false);
                    }

                    outcome = decision.ResetWhen == ResetWhen.After ? "reset after" : "reset before";
                    context.GetHttpContext().Abort();
                    throw new RpcException(new Status(StatusCode.Unavailable, $"{FaultDefaults.MessagePrefix}stream reset {(decision.ResetWhen == ResetWhen.After ? "after" : "before")} processing (rule '{decision.RuleName}')"));
            }

            var response = await next(request).ConfigureAwait(false);
            if (context.Status.StatusCode != StatusCode.OK)
            {
                outcome = GrpcStatusNames.Name(context.Status.StatusCode);
            }

            return response;
        }
        catch (RpcException ex) when (outcome == "OK")
        {
            outcome = GrpcStatusNames.Name(ex.StatusCode);
            throw;
        }
        catch (OperationCanceledException) when (outcome == "OK" || outcome == "hang")
        {
            outcome = outcome == "hang" ? "hang (caller gave up)" : "CANCELLED";
            throw;
        }
        finally
        {
            if (entered)
            {
                decision.Gate!.Exit();
            }

            engine.Complete(decision);
            if (engine.Journal.Enabled)
            {
                engine.Journal.Record(new FaultJournalEntry(
                    time.GetUtcNow(), site.Node, site.Method, decision.RuleName, outcome, time.GetElapsedTime(started).TotalMilliseconds));
            }
        }
    }

    // Timers tick in whole milliseconds and may fire a fraction early; a promised delay is a minimum.
    private async Task DelayAtLeastAsync(TimeSpan delay, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        var remaining = delay;
        while (remaining > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), time, cancellation).ConfigureAwait(false);
            remaining = delay - time.GetElapsedTime(started);
        }
    }

    private static RpcException Error(in FaultDecision decision)
    {
        var status = new Status(decision.Status, decision.Message ?? FaultDefaults.MessagePrefix + GrpcStatusNames.Name(decision.Status));
        if (decision.RetryPushbackMs is { } pushback)
        {
            // grpc-dotnet copies an RpcException's trailers into the response trailers.
            return new RpcException(status, new Metadata { { FaultDefaults.RetryPushbackTrailer, pushback.ToString(CultureInfo.InvariantCulture) } });
        }

        return new RpcException(status);
    }

    // Every issuer reply has response_code, message, decline_reason and node; replies without a
    // response_code (the SMS gateway's) cannot carry a decline and run the handler instead.
    private static TResponse? Decline<TResponse>(in FaultDecision decision, string node)
        where TResponse : class
    {
        if (Activator.CreateInstance(typeof(TResponse)) is not IMessage reply)
        {
            return null;
        }

        var descriptor = reply.Descriptor;
        var code = descriptor.FindFieldByName("response_code");
        if (code is null)
        {
            return null;
        }

        code.Accessor.SetValue(reply, decision.DeclineCode ?? "05");
        descriptor.FindFieldByName("message")?.Accessor.SetValue(reply, decision.Message ?? string.Empty);
        if (descriptor.FindFieldByName("decline_reason") is { } reason && reason.FieldType == Google.Protobuf.Reflection.FieldType.Enum)
        {
            reason.Accessor.SetValue(reply, decision.DeclineReason);
        }

        descriptor.FindFieldByName("node")?.Accessor.SetValue(reply, node);
        return (TResponse)reply;
    }
}
