using System.Text;
using System.Text.Json;
using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults;

/// <summary>
/// Faults are counted in GET /v1/stats and /metrics on the row of the method they hit, beside that
/// method's calls: a rule on "*" or on an inbox method must not leave a "*" row with faults and no calls.
/// </summary>
public sealed class FaultStatsTests
{
    [Fact]
    public async Task ErrorRuleOnEveryMethod_CountsOneFaultOnTheRowOfEveryServedMethod_BesideItsCall_AndNoStarRow()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "all-down", "error": { "grpcStatus": "UNAVAILABLE" } }""");

        await CallEveryMethodOnceAsync(sim);

        var methods = await MethodRowsAsync(sim);
        Assert.Equal(ServedMethods.Issuer.Order(StringComparer.Ordinal), methods["issuer-1"].Keys);
        Assert.Equal(ServedMethods.Sms.Order(StringComparer.Ordinal), methods["sms"].Keys);
        foreach (var (node, rows) in methods)
        {
            foreach (var (method, row) in rows)
            {
                Assert.True(
                    row is { Calls: 1, Errors: 1, ErrorFaults: 1 },
                    $"{node}/{method}: calls {row.Calls}, errors {row.Errors}, error faults {row.ErrorFaults}");
            }
        }

        var stats = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/stats")).RootElement;
        Assert.Equal(ServedMethods.Issuer.Length + ServedMethods.Sms.Length, stats.GetProperty("rules").GetProperty("all-down").GetInt64());

        var metrics = await sim.Http.GetStringAsync("/metrics");
        Assert.DoesNotContain("method=\"*\"", metrics);
        foreach (var (node, names) in new[] { ("issuer-1", ServedMethods.Issuer), ("sms", ServedMethods.Sms) })
        {
            foreach (var method in names)
            {
                Assert.Contains($"paysim_calls_total{{node=\"{node}\",method=\"{method}\"}} 1\n", metrics);
                Assert.Contains($"paysim_faults_total{{node=\"{node}\",method=\"{method}\",kind=\"error\"}} 1\n", metrics);
            }
        }
    }

    [Fact]
    public async Task StarRuleOnTheSmsNode_CountsInboxFaultsUnderListMessagesAndWaitForMessage()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "slow-sms", "node": "sms", "method": "*", "latency": "1ms" }""");

        for (var i = 0; i < 5; i++)
        {
            await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = "+70000000001" });
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.False((await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = "+70000000001", TimeoutMs = 1 })).Found);
        }

        var sms = (await MethodRowsAsync(sim))["sms"];
        Assert.Equal(["ListMessages", "WaitForMessage"], sms.Keys);
        Assert.Equal(new MethodRow(5, 0, 5, 0), sms["ListMessages"]);
        Assert.Equal(new MethodRow(3, 0, 3, 0), sms["WaitForMessage"]);
        var metrics = await sim.Http.GetStringAsync("/metrics");
        Assert.Contains("paysim_faults_total{node=\"sms\",method=\"ListMessages\",kind=\"latency\"} 5\n", metrics);
        Assert.Contains("paysim_faults_total{node=\"sms\",method=\"WaitForMessage\",kind=\"latency\"} 3\n", metrics);
        Assert.DoesNotContain("method=\"*\"", metrics);
    }

    [Fact]
    public async Task RuleNamingAnInboxMethod_FaultsOnlyThatMethod_AndCountsItOnItsRow()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "inbox-down", "node": "sms", "method": "ListMessages", "error": { "grpcStatus": "UNAVAILABLE" } }""");

        for (var i = 0; i < 3; i++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = "+70000000001" }));
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        }

        Assert.False((await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = "+70000000001", TimeoutMs = 1 })).Found);
        Assert.True((await sim.Gateway.SendAsync(new SendRequest { Phone = "+70000000001", Text = "hi" })).Accepted);

        var sms = (await MethodRowsAsync(sim))["sms"];
        Assert.Equal(new MethodRow(3, 3, 0, 3), sms["ListMessages"]);
        Assert.Equal(new MethodRow(1, 0, 0, 0), sms["WaitForMessage"]);
        Assert.Equal(new MethodRow(1, 0, 0, 0), sms["Send"]);
        Assert.False(sms.ContainsKey("*"));
    }

    [Fact]
    public async Task ErrorRuleOnStreamMessages_FailsTheStream_AndCountsTheFaultOnTheStreamMessagesRow()
    {
        await using var sim = await StartAsync();
        await PostFaultsAsync(sim, """{ "name": "no-stream", "node": "sms", "method": "StreamMessages", "times": 2, "error": { "grpcStatus": "UNAVAILABLE" } }""");

        for (var i = 0; i < 2; i++)
        {
            using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest { Phone = "+70000000001" });
            var ex = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        }

        var sms = (await MethodRowsAsync(sim))["sms"];
        Assert.Equal(["StreamMessages"], sms.Keys);
        Assert.Equal(new MethodRow(2, 2, 0, 2), sms["StreamMessages"]);
        Assert.Contains("paysim_faults_total{node=\"sms\",method=\"StreamMessages\",kind=\"error\"} 2\n", await sim.Http.GetStringAsync("/metrics"));
    }

    private static async Task CallEveryMethodOnceAsync(TestSimulator sim)
    {
        var issuer = sim.Issuers[0];
        var calls = new Func<Task>[]
        {
            () => issuer.StartBindingAsync(new StartBindingRequest { Pan = "4111111111111111" }).ResponseAsync,
            () => issuer.ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = "bnd_x", Otp = "000000" }).ResponseAsync,
            () => issuer.ResendOtpAsync(new ResendOtpRequest { BindingId = "bnd_x" }).ResponseAsync,
            () => issuer.AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_x", AmountMinor = 1, Currency = "CNY" }).ResponseAsync,
            () => issuer.CaptureAsync(new CaptureRequest { AuthorizationId = "auth_x", AmountMinor = 1 }).ResponseAsync,
            () => issuer.RefundAsync(new RefundRequest { AuthorizationId = "auth_x", AmountMinor = 1 }).ResponseAsync,
            () => issuer.VoidAsync(new VoidRequest { AuthorizationId = "auth_x" }).ResponseAsync,
            () => issuer.AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = "chl_x", Otp = "000000" }).ResponseAsync,
            () => sim.Gateway.SendAsync(new SendRequest { Phone = "+70000000001", Text = "hi" }).ResponseAsync,
            () => sim.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = "+70000000001" }).ResponseAsync,
            () => sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = "+70000000001", TimeoutMs = 1 }).ResponseAsync,
            async () =>
            {
                using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest { Phone = "+70000000001" });
                await stream.ResponseStream.MoveNext();
            },
        };

        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        }
    }

    /// <summary>GET /v1/stats as node → method → row, methods in the order the endpoint lists them.</summary>
    private static async Task<Dictionary<string, Dictionary<string, MethodRow>>> MethodRowsAsync(TestSimulator sim)
    {
        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/stats"));
        var result = new Dictionary<string, Dictionary<string, MethodRow>>(StringComparer.Ordinal);
        foreach (var node in doc.RootElement.GetProperty("nodes").EnumerateArray())
        {
            var rows = new Dictionary<string, MethodRow>(StringComparer.Ordinal);
            foreach (var m in node.GetProperty("methods").EnumerateArray())
            {
                var faults = m.GetProperty("faults");
                rows.Add(m.GetProperty("method").GetString()!, new MethodRow(
                    m.GetProperty("calls").GetInt64(),
                    m.GetProperty("errors").GetInt64(),
                    faults.TryGetProperty("latency", out var latency) ? latency.GetInt64() : 0,
                    faults.TryGetProperty("error", out var error) ? error.GetInt64() : 0));
            }

            if (rows.Count > 0)
            {
                result.Add(node.GetProperty("name").GetString()!, rows);
            }
        }

        return result;
    }

    private static Task<TestSimulator> StartAsync() => TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));

    private static async Task PostFaultsAsync(TestSimulator sim, string json)
    {
        var response = await sim.Http.PostAsync("/v1/faults", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed record MethodRow(long Calls, long Errors, long LatencyFaults, long ErrorFaults);
}
