using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Hosting;

public sealed class SimulatorHostTests
{
    [Fact]
    public async Task BindConfirmAuthorizeCaptureRefund_SpreadOverNodes_WorksEndToEnd()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy", "zh_CN").Single();

        var after = 0L;
        var start = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName,
            IdNumber = card.InputIdNumber, Phone = card.InputPhone, IdempotencyKey = "bind-1",
        });
        Assert.Equal("00", start.ResponseCode);
        Assert.Equal("issuer-1", start.Node);
        Assert.Equal(300, start.OtpTtlSeconds);
        Assert.Equal(card.Phone[..3] + "****" + card.Phone[^4..], start.MaskedPhone);

        var sms = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000, AfterSequence = after });
        Assert.True(sms.Found);
        Assert.Matches(@"^\d{6}$", sms.Message.Otp);
        Assert.StartsWith("【模拟银行】验证码 " + sms.Message.Otp + "，5分钟内有效", sms.Message.Text);
        Assert.Equal(start.BindingId, sms.Message.CorrelationId);

        var confirm = await sim.Issuers[1].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = start.BindingId, Otp = sms.Message.Otp });
        Assert.Equal("00", confirm.ResponseCode);
        Assert.Equal("issuer-2", confirm.Node);
        Assert.StartsWith("tok_", confirm.CardToken);
        Assert.DoesNotContain(card.Pan, confirm.CardToken);
        Assert.Equal(card.Pan[^4..], confirm.Last4);

        var auth = await sim.Issuers[2].AuthorizeAsync(new AuthorizeRequest
        {
            CardToken = confirm.CardToken, AmountMinor = 12_345, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1",
        });
        Assert.Equal("00", auth.ResponseCode);
        Assert.Equal("issuer-3", auth.Node);
        Assert.Equal(card.BalanceMinor - 12_345, auth.AvailableBalanceMinor);

        var capture = await sim.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = 12_345, IdempotencyKey = "cap-1" });
        Assert.Equal("00", capture.ResponseCode);
        Assert.Equal(12_345, capture.CapturedMinor);

        var refund = await sim.Issuers[1].RefundAsync(new RefundRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = 5_000, IdempotencyKey = "ref-1" });
        Assert.Equal("00", refund.ResponseCode);
        Assert.Equal(5_000, refund.RefundedMinor);

        var tooMuch = await sim.Issuers[2].RefundAsync(new RefundRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = 7_346, IdempotencyKey = "ref-2" });
        Assert.Equal("13", tooMuch.ResponseCode);
        Assert.Equal(DeclineReason.InvalidAmount, tooMuch.DeclineReason);

        var inv = sim.Host.GetInvariants();
        Assert.True(inv.MoneyConserved);
        Assert.Equal(0, inv.DuplicateCharges);
        Assert.Equal(12_345, inv.CapturedMinor);
        Assert.Equal(5_000, inv.RefundedMinor);

        var stats = sim.Host.GetStats();
        Assert.Equal(2, stats.Nodes.Single(n => n.Name == "issuer-1").Requests);
        Assert.Equal(2, stats.Nodes.Single(n => n.Name == "issuer-2").Requests);
        Assert.Equal(2, stats.Nodes.Single(n => n.Name == "issuer-3").Requests);
        Assert.Equal(1, stats.Nodes.Single(n => n.Name == "issuer-3").Methods.Single(m => m.Method == "Refund").Declines);
        Assert.Equal(1, stats.Nodes.Single(n => n.Name == "sms").Methods.Single(m => m.Method == "WaitForMessage").Calls);
    }

    [Fact]
    public async Task Authorize_ThousandConcurrentCallsWithOneKey_HoldFundsExactlyOnce()
    {
        await using var sim = await TestSimulator.StartAsync();
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card);

        var calls = Enumerable.Range(0, 1000).Select(i => sim.Issuers[i % 3].AuthorizeAsync(new AuthorizeRequest
        {
            CardToken = token, AmountMinor = 999, Currency = card.Currency, MerchantId = "m", OrderReference = "order-1", IdempotencyKey = "same-key",
        }).ResponseAsync);
        var replies = await Task.WhenAll(calls);

        Assert.All(replies, r => Assert.Equal("00", r.ResponseCode));
        Assert.Single(replies.Select(r => r.AuthorizationId).Distinct());
        Assert.Equal(999, sim.Host.GetInvariants().HeldMinor);
        Assert.Equal(0, sim.Host.GetInvariants().DuplicateCharges);
        Assert.Equal(1000, sim.Host.GetStats().Nodes.Where(n => n.Kind() == "issuer").Sum(n => n.Methods.Where(m => m.Method == "Authorize").Sum(m => m.Calls)));
    }

    [Fact]
    public async Task NodeDown_RefusesConnections_ThenUpServesAgainOnTheSamePort()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));
        var node = sim.Host.IssuerNodes[1];
        var request = new AuthorizeRequest { CardToken = "tok_missing", AmountMinor = 1 };
        Assert.Equal("14", (await sim.Issuers[1].AuthorizeAsync(request)).ResponseCode);

        await sim.Host.SetNodeStateAsync("issuer-2", NodeState.Down);
        var down = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[1].AuthorizeAsync(request));
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        using (var fresh = GrpcChannel.ForAddress(node.Uri))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(fresh).AuthorizeAsync(request));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(request)).ResponseCode);

        await sim.Host.SetNodeStateAsync("issuer-2", NodeState.Up);
        Assert.Equal(node.Uri, sim.Host.IssuerNodes[1].Uri);
        var back = await Eventually.SucceedsAsync(() => sim.Issuers[1].AuthorizeAsync(request).ResponseAsync);
        Assert.Equal("14", back.ResponseCode);
        Assert.Equal("issuer-2", back.Node);
    }

    [Fact]
    public async Task NotServing_ShowsOnHealth_WhileCallsStillWork()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        using var channel = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        var health = new Health.HealthClient(channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "paysim.issuer.v1.Issuer" })).Status);

        await sim.Host.SetNodeStateAsync("issuer-1", NodeState.NotServing);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "paysim.issuer.v1.Issuer" })).Status);
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "x", AmountMinor = 1 })).ResponseCode);

        await sim.Host.SetNodeStateAsync("issuer-1", NodeState.Up);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task StartAsync_WithAPortInUse_FailsWithOneLineNamingThePort()
    {
        await using var first = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        var options = TestSimulator.EphemeralOptions(nodes: 1);
        options.SmsPort = first.Host.SmsUri.Port;

        var e = await Assert.ThrowsAsync<SimulatorStartException>(() => SimulatorHost.StartAsync(options));

        Assert.Contains($"port {first.Host.SmsUri.Port} (sms) is already in use", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task StartAsync_WithBadOptions_ListsEveryBadField()
    {
        var options = new SimulatorOptions { Nodes = 0, IssuerPort = -1, ZhCnShare = 2, OtpAttempts = 0 };

        var e = await Assert.ThrowsAsync<SimulatorStartException>(() => SimulatorHost.StartAsync(options));

        Assert.Equal(4, options.Validate().Count);
        Assert.Contains("--nodes: ", e.Message);
        Assert.Contains("--issuer-port: ", e.Message);
        Assert.Contains("ZhCnShare", e.Message);
        Assert.Contains("OtpAttempts", e.Message);
    }

    [Fact]
    public async Task SlowSmsCardholder_GetsTheOtpOnlyAfterTheDelay()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1);
        options.SlowSmsDelay = TimeSpan.FromMilliseconds(1500);
        await using var sim = await TestSimulator.StartAsync(options);
        var card = sim.Host.ListCardholders(1, "slow-sms").Single();
        var start = await sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName, IdNumber = card.InputIdNumber, Phone = card.InputPhone,
        });
        Assert.Equal("00", start.ResponseCode);

        var early = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 200 });
        Assert.False(early.Found);
        var late = await sim.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 10_000 });
        Assert.True(late.Found);
        Assert.True(late.Message.DeliveredAt.ToDateTimeOffset() - late.Message.SentAt.ToDateTimeOffset() >= TimeSpan.FromMilliseconds(1400));
    }

    [Fact]
    public async Task StreamMessages_DeliversEveryNewMessageToTheSubscriber_InOrder()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = sim.Inbox.StreamMessages(new StreamMessagesRequest { Phone = "13912345678" }, cancellationToken: cts.Token);
        // The stream starts at "now" on the server, which the client cannot observe: keep sending
        // until messages flow, then check that what arrives is consecutive and parsed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 100 && !stop.IsCancellationRequested; i++)
            {
                await sim.Gateway.SendAsync(new SendRequest { Phone = "13912345678", Text = $"code {100000 + i}", Locale = "en" });
                await Task.Delay(50);
            }
        });

        var received = new List<SmsMessage>();
        while (received.Count < 3 && await stream.ResponseStream.MoveNext(cts.Token))
        {
            received.Add(stream.ResponseStream.Current);
        }

        await stop.CancelAsync();
        await sender;
        Assert.Equal(3, received.Count);
        var first = received[0].Sequence;
        Assert.Equal([first, first + 1, first + 2], received.Select(m => m.Sequence));
        Assert.Equal(received.Select(m => (99999 + m.Sequence).ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(m => m.Otp));
    }
}

internal static class StatsExtensions
{
    public static string Kind(this NodeStats n) => n.Name.StartsWith("issuer-", StringComparison.Ordinal) ? "issuer" : "sms";
}
