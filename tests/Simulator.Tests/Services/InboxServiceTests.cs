using System.Diagnostics;
using Grpc.Core;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Services;

/// <summary>Inbox requests outside what the calls allow are INVALID_ARGUMENT naming the field, at once; the documented defaults still hold.</summary>
public sealed class InboxServiceTests
{
    private const string Phone = "13800000001";

    [Fact]
    public async Task Bad_phone_timeout_and_limit_are_refused_naming_the_field_and_the_allowed_range()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        var refused = new (Func<Task> Call, string Message)[]
        {
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = -1 }).ResponseAsync, "timeout_ms '-1' is not allowed; allowed: 0 to 600000 (0 = 10000)"),
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = int.MinValue }).ResponseAsync, "timeout_ms '-2147483648' is not allowed; allowed: 0 to 600000 (0 = 10000)"),
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = 600_001 }).ResponseAsync, "timeout_ms '600001' is not allowed; allowed: 0 to 600000 (0 = 10000)"),
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = int.MaxValue }).ResponseAsync, "timeout_ms '2147483647' is not allowed; allowed: 0 to 600000 (0 = 10000)"),
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = "", TimeoutMs = 1 }).ResponseAsync, "phone is required"),
            (() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = " ", TimeoutMs = 1 }).ResponseAsync, "phone is required"),
            (() => sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = "" }).ResponseAsync, "phone is required"),
            (() => sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = Phone, Limit = -1 }).ResponseAsync, "limit '-1' is not allowed; allowed: 0 (every message) or more"),
            (async () =>
            {
                using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest { Phone = "" }, deadline: DateTime.UtcNow.AddSeconds(5));
                await stream.ResponseStream.MoveNext();
            }, "phone is required"),
        };

        var clock = Stopwatch.StartNew();
        foreach (var (call, message) in refused)
        {
            var e = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal((StatusCode.InvalidArgument, message), (e.StatusCode, e.Status.Detail));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused at once, not after a wait: {clock.Elapsed}");
        var stats = sim.Host.GetStats().Nodes.Single(n => n.Name == "sms").Methods.ToDictionary(m => m.Method);
        Assert.Equal((6L, 6L), (stats["WaitForMessage"].Calls, stats["WaitForMessage"].Errors));
    }

    [Fact]
    public async Task The_bounds_themselves_are_allowed_and_timeout_0_waits_the_default()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        Assert.Empty((await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = Phone, Limit = 0 })).Messages);
        Assert.False((await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = 1 })).Found);

        // 0 and the maximum are accepted: the wait goes on until the client's deadline, not refused.
        foreach (var timeout in new[] { 0, 600_000 })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = Phone, TimeoutMs = timeout }, deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);
            Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        }
    }
}
