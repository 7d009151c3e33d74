using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.State.Redis;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.State;

/// <summary>Node states set through one host's control plane apply to the node of the same name in every host of the cluster.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisNodeStateTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);
    private static readonly AuthorizeRequest UnknownToken = new() { CardToken = "tok_missing", AmountMinor = 1 };

    [ToolFact(ExternalTools.RedisServer)]
    public async Task Down_posted_to_host_A_refuses_connections_to_host_Bs_node_of_that_name_and_up_serves_it_again()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a", cardholders: 50));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b", cardholders: 50));
        Assert.Equal("14", (await b.Issuers[1].AuthorizeAsync(UnknownToken)).ResponseCode);

        await PostAsync(a, "/v1/nodes/issuer-2/down");

        Assert.True(await Eventually.WithinAsync(Propagation, () => b.Host.GetNodeState("issuer-2") == NodeState.Down), "host B's issuer-2 went DOWN within 5 s");
        Assert.Equal("DOWN", (await NodesAsync(b))["issuer-2"]);
        Assert.Equal("UP", (await NodesAsync(b))["issuer-1"]);
        using (var fresh = GrpcChannel.ForAddress(b.Host.IssuerNodes[1].Uri))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(fresh).AuthorizeAsync(UnknownToken));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        Assert.Equal("14", (await b.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);

        await PostAsync(a, "/v1/nodes/issuer-2/up");

        Assert.True(await Eventually.WithinAsync(Propagation, () => b.Host.GetNodeState("issuer-2") == NodeState.Up), "host B's issuer-2 came back UP within 5 s");
        var back = await Eventually.SucceedsAsync(() => b.Issuers[1].AuthorizeAsync(UnknownToken).ResponseAsync);
        Assert.Equal("14", back.ResponseCode);
        Assert.Equal("issuer-2", back.Node);
        Assert.Equal("UP", (await NodesAsync(b))["issuer-2"]);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task Not_serving_set_through_host_As_grpc_control_plane_shows_on_host_Bs_health_service_while_calls_still_work()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a", cardholders: 50));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b", cardholders: 50));
        using var controlA = GrpcChannel.ForAddress(a.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(controlA);
        using var healthB = GrpcChannel.ForAddress(b.Host.IssuerNodes[0].Uri);
        var health = new Health.HealthClient(healthB);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "paysim.issuer.v1.Issuer" })).Status);

        await control.SetNodeStateAsync(new SetNodeStateRequest { Node = "issuer-1", State = NodeState.NotServing });

        Assert.True(await Eventually.WithinAsync(Propagation, () => b.Host.GetNodeState("issuer-1") == NodeState.NotServing), "host B's issuer-1 became NOT_SERVING within 5 s");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "paysim.issuer.v1.Issuer" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal("14", (await b.Issuers[0].AuthorizeAsync(UnknownToken)).ResponseCode);
        Assert.Equal(NodeState.Up, b.Host.GetNodeState("issuer-2"));

        await control.SetNodeStateAsync(new SetNodeStateRequest { Node = "issuer-1", State = NodeState.Up });

        Assert.True(await Eventually.WithinAsync(Propagation, () => b.Host.GetNodeState("issuer-1") == NodeState.Up), "host B's issuer-1 was SERVING again within 5 s");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task A_host_started_after_a_node_went_down_comes_up_with_that_node_down_and_reset_brings_it_up_in_every_host()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a", cardholders: 50));
        await a.Host.SetNodeStateAsync("issuer-2", NodeState.Down);
        await a.Host.SetNodeStateAsync("sms", NodeState.NotServing);

        await using var c = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-c", cardholders: 50));

        // Applied before StartAsync returned: no waiting.
        Assert.Equal(NodeState.Down, c.Host.GetNodeState("issuer-2"));
        Assert.Equal(NodeState.NotServing, c.Host.GetNodeState("sms"));
        Assert.Equal(NodeState.Up, c.Host.GetNodeState("issuer-1"));
        using (var fresh = GrpcChannel.ForAddress(c.Host.IssuerNodes[1].Uri))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(fresh).AuthorizeAsync(UnknownToken));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        await PostAsync(c, "/v1/reset");

        Assert.True(
            await Eventually.WithinAsync(Propagation, () => new[] { a, c }.All(s => s.Host.GetNodeState("issuer-2") == NodeState.Up && s.Host.GetNodeState("sms") == NodeState.Up)),
            "reset on C brought issuer-2 and sms UP on A and on C within 5 s");
        Assert.Equal("{}", Document(cluster));
        Assert.Equal("issuer-2", (await Eventually.SucceedsAsync(() => c.Issuers[1].AuthorizeAsync(UnknownToken).ResponseAsync)).Node);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task An_outage_rule_takes_the_node_down_in_every_host_through_the_shared_rules_without_writing_the_nodes_document()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a", cardholders: 50));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b", cardholders: 50));

        a.Host.ApplyFaults("""{ "name": "node-loss", "node": "issuer-2", "outage": {} }""");

        Assert.True(await Eventually.WithinAsync(Propagation, () => a.Host.GetNodeState("issuer-2") == NodeState.Down && b.Host.GetNodeState("issuer-2") == NodeState.Down), "both hosts' issuer-2 DOWN within 5 s");
        Assert.Null(Document(cluster));

        a.Host.ClearFaults("node-loss");

        Assert.True(await Eventually.WithinAsync(Propagation, () => a.Host.GetNodeState("issuer-2") == NodeState.Up && b.Host.GetNodeState("issuer-2") == NodeState.Up), "both hosts' issuer-2 UP within 5 s");
        Assert.Null(Document(cluster));
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task Changes_to_different_nodes_from_two_hosts_both_end_in_the_document_and_in_both_hosts()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a", cardholders: 50));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b", cardholders: 50));

        await Task.WhenAll(a.Host.SetNodeStateAsync("issuer-1", NodeState.NotServing), b.Host.SetNodeStateAsync("issuer-2", NodeState.Down));

        Assert.Equal("""{"issuer-1":"NOT_SERVING","issuer-2":"DOWN"}""", Document(cluster));
        Assert.True(
            await Eventually.WithinAsync(Propagation, () => new[] { a, b }.All(s => s.Host.GetNodeState("issuer-1") == NodeState.NotServing && s.Host.GetNodeState("issuer-2") == NodeState.Down)),
            "both hosts have issuer-1 NOT_SERVING and issuer-2 DOWN within 5 s");
    }

    private string? Document(string cluster)
    {
        using var document = new RedisSharedDocument(redis.Connection!, new RedisKeys(cluster), RedisNodeStates.DocumentName, (_, _) => { });
        return document.Read().Json;
    }


    private static async Task PostAsync(TestSimulator sim, string path)
    {
        using var response = await sim.Http.PostAsync(path, new StringContent("", Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<Dictionary<string, string>> NodesAsync(TestSimulator sim)
    {
        var json = await sim.Http.GetFromJsonAsync<JsonElement>("/v1/nodes");
        return json.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("state").GetString()!);
    }
}
