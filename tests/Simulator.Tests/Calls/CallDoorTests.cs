using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Calls;

public sealed class CallDoorTests
{
    [Fact]
    public async Task Every_issuer_and_sms_method_is_counted_and_offered_to_the_fault_engine()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        sim.Host.ApplyFaults("""{ "name": "everything", "node": "*", "method": "*", "error": { "grpcStatus": "UNAVAILABLE", "message": "through the door" } }""");
        var issuer = sim.Issuers[0];

        var calls = new Func<Task>[]
        {
            () => issuer.StartBindingAsync(new StartBindingRequest()).ResponseAsync,
            () => issuer.ConfirmBindingAsync(new ConfirmBindingRequest()).ResponseAsync,
            () => issuer.ResendOtpAsync(new ResendOtpRequest()).ResponseAsync,
            () => issuer.AuthorizeAsync(new AuthorizeRequest()).ResponseAsync,
            () => issuer.CaptureAsync(new CaptureRequest()).ResponseAsync,
            () => issuer.RefundAsync(new RefundRequest()).ResponseAsync,
            () => issuer.VoidAsync(new VoidRequest()).ResponseAsync,
            () => issuer.AuthenticatePaymentAsync(new AuthenticatePaymentRequest()).ResponseAsync,
            () => sim.Gateway.SendAsync(new SendRequest { Phone = "13800000000" }).ResponseAsync,
            () => sim.Inbox.ListMessagesAsync(new ListMessagesRequest()).ResponseAsync,
            () => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { TimeoutMs = 1 }).ResponseAsync,
            async () =>
            {
                using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                await stream.ResponseStream.MoveNext();
            },
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Equal("through the door", error.Status.Detail);
        }

        var stats = sim.Host.GetStats();
        Assert.Equal(calls.Length, stats.Rules["everything"]);
        // Every row has its call, its error and its fault together: no "*" row holds the inbox's faults.
        var counted = stats.Nodes.SelectMany(n => n.Methods.Select(m => (Node: n.Name, m.Method, m.Calls, m.Errors, Faults: m.Faults.GetValueOrDefault("error")))).ToList();
        Assert.Equal(ServedMethods.Issuer.Select(m => ("issuer-1", m, 1L, 1L, 1L)).Order(), counted.Where(c => c.Node == "issuer-1").Order());
        Assert.Equal(ServedMethods.Sms.Select(m => ("sms", m, 1L, 1L, 1L)).Order(), counted.Where(c => c.Node == "sms").Order());
    }

    [Fact]
    public async Task Calls_after_a_node_restart_and_a_stats_reset_are_counted_from_zero()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_unknown", AmountMinor = 1 });
        await sim.Host.SetNodeStateAsync("issuer-1", PaySim.Contracts.Control.V1.NodeState.Down);
        await sim.Host.SetNodeStateAsync("issuer-1", PaySim.Contracts.Control.V1.NodeState.Up);
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_unknown", AmountMinor = 1 });
        Assert.Equal(2, Authorize(sim).Calls);
        Assert.Equal(2, Authorize(sim).Declines);

        Assert.True((await sim.Http.PostAsync("/v1/reset", null)).IsSuccessStatusCode);
        Assert.Empty(sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods);
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_unknown", AmountMinor = 1 });

        Assert.Equal(1, Authorize(sim).Calls);
        Assert.True(Authorize(sim).P50Ms > 0);
    }

    private static PaySim.Contracts.Control.V1.MethodStats Authorize(TestSimulator sim) =>
        sim.Host.GetStats().Nodes.Single(n => n.Name == "issuer-1").Methods.Single(m => m.Method == "Authorize");
}
