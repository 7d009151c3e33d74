using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Faults.Serving;

/// <summary>
/// Plugs the engine into every issuer and SMS call. Order per call: capacity queue, then the
/// added latency, then the terminal action (error, decline, hang, reset, outage) or the handler.
/// When nothing fires the call goes straight to the handler: no allocation, no extra await.
/// </summary>
internal sealed class FaultCallHook(FaultEngine engine, TimeProvider time, IIssuerState? state = null) : ICallFaultHook
{
    private volatile RuleNeeds _needs = new(-1, false, [], false, false);

    public Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var faultRequest = Describe(site, request, context);
        var decision = engine.Decide(in faultRequest);
        if (decision.IsNone && !engine.Journal.Enabled)
        {
            return continuation(request, context);
        }

        return ApplyAsync(site, decision, request, context, r => continuation(r, context));
    }

    public Task InterceptStreamingAsync<TRequest, TResponse>(CallSite site, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var faultRequest = Describe(site, request, context);
        var decision = engine.Decide(in faultRequest);
        if (decision.IsNone && !engine.Journal.Enabled)
        {
            return continuation(request, responseStream, context);
        }

        return ApplyAsync<TRequest, object>(site, decision, request, context, async r =>
        {
            await continuation(r, responseStream, context).ConfigureAwait(false);
            return string.Empty;
        });
    }

    private FaultRequest Describe<TRequest>(CallSite site, TRequest request, ServerCallContext context)
        where TRequest : class
    {
        var needs = Needs();
        var headers = Headers(context, needs);
        if (!engine.NeedsRequestFields)
        {
            return new FaultRequest(site.Node, site.Method, headers);
        }

        // Only when a rule matches on card, phone or amount: read them from the request types that
        // carry them. Calls that name the card by token or binding id are resolved to its PAN and
        // phone on file, and only while a rule asks for the card (a lookup per call, over Redis too).
        return request switch
        {
            StartBindingRequest r => new FaultRequest(site.Node, site.Method, headers, pan: r.Pan, phone: r.Phone),
            AuthorizeRequest r => WithCard(site, headers, needs, needs.Card ? state?.Bindings.ResolveToken(r.CardToken) : null, r.AmountMinor),
            ConfirmBindingRequest r => WithCard(site, headers, needs, needs.Card ? state?.Bindings.Get(r.BindingId)?.Pan : null, null),
            ResendOtpRequest r => WithCard(site, headers, needs, needs.Card ? state?.Bindings.Get(r.BindingId)?.Pan : null, null),
            CaptureRequest r => new FaultRequest(site.Node, site.Method, headers, amountMinor: r.AmountMinor),
            RefundRequest r => new FaultRequest(site.Node, site.Method, headers, amountMinor: r.AmountMinor),
            SendRequest r => new FaultRequest(site.Node, site.Method, headers, phone: r.Phone),
            _ => new FaultRequest(site.Node, site.Method, headers),
        };
    }

    private FaultRequest WithCard(CallSite site, Metadata? headers, RuleNeeds needs, string? pan, long? amountMinor) =>
        new(site.Node, site.Method, headers, pan: pan, phone: pan is not null && needs.Phone ? state?.Cardholders.FindByPan(pan)?.Phone : null, amountMinor: amountMinor);

    // ServerCallContext.RequestHeaders builds a Metadata copy of every header (keys lower-cased) on
    // first use. Probe the HTTP headers for the few names that matter (the x-sim-* overrides, the
    // keys metadata rules match on) and pay for the copy only on a call that carries one of them;
    // without them no metadata rule can match and no override applies, so null is the same answer.
    private static Metadata? Headers(ServerCallContext context, RuleNeeds needs)
    {
        var names = needs.HeaderNames;
        if (names.Length == 0)
        {
            return null;
        }

        var http = context.GetHttpContext().Request.Headers;
        foreach (var name in names)
        {
            if (http.ContainsKey(name))
            {
                return context.RequestHeaders;
            }
        }

        return null;
    }

    // What the applied rules need from a call, worked out once per version of the rule list.
    private RuleNeeds Needs()
    {
        var headerOverrides = engine.HeaderOverrides;
        var cached = _needs;
        var version = engine.Version;
        if (cached.Version == version && cached.HeaderOverrides == headerOverrides)
        {
            return cached;
        }

        var names = new List<string>();
        if (headerOverrides)
        {
            names.AddRange([FaultDefaults.HeaderFault, FaultDefaults.HeaderDelayMs, FaultDefaults.HeaderStatus]);
        }

        var card = false;
        var phone = false;
        foreach (var rule in engine.Rules)
        {
            if (rule.Match is not { } match)
            {
                continue;
            }

            card |= match.Pan is not null || match.PanPrefix is not null || match.Phone is not null;
            phone |= match.Phone is not null;
            foreach (var (key, _) in match.Metadata)
            {
                if (!names.Contains(key, StringComparer.Ordinal))
                {
                    names.Add(key);
                }
            }
        }

        var fresh = new RuleNeeds(version, headerOverrides, names.ToArray(), card, phone);
        if (engine.Version == version)
        {
            // Only what was read under one version is cached; a change meanwhile is read again next call.
            _needs = fresh;
        }

        return fresh;
    }

    private async Task<TResponse> ApplyAsync<TRequest, TResponse>(CallSite site, FaultDecision decision, TRequest request, ServerCallContext context, Func<TRequest, Task<TResponse>> next)
        where TRequest : class
        where TResponse : class
    {
        var started = time.GetTimestamp();
        var call = new Call<TRequest, TResponse>(site.Node, decision, context, time, request, next);
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

            // The terminal rule's kind decides the rest: fail the call, answer it, or let it through.
            if (decision.Action != FaultAction.None
                && await decision.Kind!.InterveneAsync(call).ConfigureAwait(false) is TResponse reply)
            {
                return reply;
            }

            var response = await next(request).ConfigureAwait(false);
            if (context.Status.StatusCode != StatusCode.OK)
            {
                call.Outcome = GrpcStatusNames.Name(context.Status.StatusCode);
            }

            return response;
        }
        catch (RpcException ex) when (call.Outcome == "OK")
        {
            call.Outcome = GrpcStatusNames.Name(ex.StatusCode);
            throw;
        }
        catch (OperationCanceledException) when (call.Outcome is "OK" or "hang")
        {
            call.Outcome = call.Outcome == "hang" ? "hang (caller gave up)" : "CANCELLED";
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
                    time.GetUtcNow(), site.Node, site.Method, decision.RuleName, call.Outcome, time.GetElapsedTime(started).TotalMilliseconds));
            }
        }
    }

    // Timers tick in whole milliseconds and may fire a fraction early; a promised delay is a minimum.
    // Several rules' delays add up beyond what one timer takes, so wait at most MaxDelay per step.
    private async Task DelayAtLeastAsync(TimeSpan delay, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        var remaining = delay;
        while (remaining > TimeSpan.Zero)
        {
            var step = remaining < FaultDefaults.MaxDelay ? remaining : FaultDefaults.MaxDelay;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(step.TotalMilliseconds)), time, cancellation).ConfigureAwait(false);
            remaining = delay - time.GetElapsedTime(started);
        }
    }

    /// <summary>Card: a rule matches on pan, panPrefix or phone (resolve tokens and bindings); Phone: on phone (look it up too).</summary>
    private sealed record RuleNeeds(long Version, bool HeaderOverrides, string[] HeaderNames, bool Card, bool Phone);

    private sealed class Call<TRequest, TResponse>(string node, FaultDecision decision, ServerCallContext context, TimeProvider time, TRequest request, Func<TRequest, Task<TResponse>> next)
        : FaultCall(node, decision, context, time)
        where TRequest : class
        where TResponse : class
    {
        public override Type ResponseType => typeof(TResponse);

        public override async Task<object> ProceedAsync() => await next(request).ConfigureAwait(false);
    }
}
