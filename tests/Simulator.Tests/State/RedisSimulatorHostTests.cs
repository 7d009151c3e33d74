using System.Net.Sockets;
using System.Text;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Cli;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.State;

/// <summary>Two simulator hosts ("processes") on one Redis and one cluster act as one issuer.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSimulatorHostTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public async Task A_card_bound_through_host_A_is_confirmed_authorized_and_captured_across_both_hosts()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        var card = a.Host.ListCardholders(1, "healthy", "zh_CN").Single();

        var start = await a.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = card.Pan, Expiry = card.Expiry, Cvv = card.Cvv, HolderName = card.InputHolderName,
            IdNumber = card.InputIdNumber, Phone = card.InputPhone, IdempotencyKey = "bind-1",
        });
        Assert.Equal("00", start.ResponseCode);

        // The OTP is read from B's inbox: the SMS sent by A lives in the shared state.
        var sms = await b.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = card.Phone, TimeoutMs = 5000 });
        Assert.True(sms.Found, "the OTP sent by host A is in host B's inbox");
        Assert.StartsWith("sms_proc-a_", sms.Message.MessageId);
        var confirm = await b.Issuers[1].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = start.BindingId, Otp = sms.Message.Otp });
        Assert.Equal("00", confirm.ResponseCode);

        var auth = await a.Issuers[1].AuthorizeAsync(new AuthorizeRequest
        {
            CardToken = confirm.CardToken, AmountMinor = 12_345, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1",
        });
        Assert.Equal("00", auth.ResponseCode);
        Assert.Equal(card.BalanceMinor - 12_345, auth.AvailableBalanceMinor);

        var capture = await b.Issuers[0].CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = 12_345, IdempotencyKey = "cap-1" });
        Assert.Equal("00", capture.ResponseCode);
        Assert.Equal(12_345, capture.CapturedMinor);

        // The same idempotency key replayed on the other host answers the first result, without a second charge.
        var replay = await b.Issuers[1].AuthorizeAsync(new AuthorizeRequest
        {
            CardToken = confirm.CardToken, AmountMinor = 12_345, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = "pay-1",
        });
        Assert.Equal(auth.AuthorizationId, replay.AuthorizationId);

        foreach (var inv in new[] { a.Host.GetInvariants(), b.Host.GetInvariants() })
        {
            Assert.True(inv.MoneyConserved);
            Assert.Equal(0, inv.DuplicateCharges);
            Assert.Equal(12_345, inv.CapturedMinor);
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task Holds_made_and_voided_on_host_A_are_read_from_host_B_ledger_and_a_reset_on_A_stales_B_cursor()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        var card = a.Host.ListCardholders(1, "healthy").Single();
        var token = await a.BindAsync(card);
        var head = b.Host.GetLedger("", 0).NextCursor;

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await a.Issuers[i % 2].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 500, Currency = card.Currency, MerchantId = "m", OrderReference = "o-" + i })).AuthorizationId);
        }

        var voided = await b.Issuers[0].VoidAsync(new VoidRequest { AuthorizationId = ids[1], IdempotencyKey = "v-1" });
        var replayed = await a.Issuers[1].VoidAsync(new VoidRequest { AuthorizationId = ids[1], IdempotencyKey = "v-1" });
        var page = b.Host.GetLedger(head, 10);

        Assert.Equal(("00", 500L), (voided.ResponseCode, voided.ReleasedMinor));
        Assert.Equal(voided.ReleasedMinor, replayed.ReleasedMinor);
        Assert.Equal(ids, page.Entries.Select(e => e.AuthorizationId));
        Assert.Equal(["held", "released", "held"], page.Entries.Select(e => e.State));
        Assert.Equal(["issuer-1", "issuer-2", "issuer-1"], page.Entries.Select(e => e.Node));
        Assert.All(page.Entries, e => Assert.Equal((card.Pan, token, card.Currency), (e.Pan, e.CardToken, e.Currency)));
        var inv = b.Host.GetInvariants();
        Assert.Equal((1_000L, 500L, true), (inv.HeldMinor, inv.ReleasedMinor, inv.MoneyConserved));

        a.Host.Reset();
        Assert.Throws<InvalidOperationException>(() => b.Host.GetLedger(page.NextCursor, 10));
        Assert.Empty(b.Host.GetLedger("", 10).Entries);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task The_two_hosts_draw_different_binding_ids_from_the_same_seed()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        var cards = a.Host.ListCardholders(2, "healthy");

        var fromA = await Start(a, cards[0]);
        var fromB = await Start(b, cards[1]);

        Assert.Equal("00", fromA.ResponseCode);
        Assert.Equal("00", fromB.ResponseCode);
        Assert.NotEqual(fromA.BindingId, fromB.BindingId);
    }

    [ToolFact(ExternalTools.RedisServer)]
    public async Task A_fault_rule_posted_to_host_A_applies_to_host_B_and_reset_clears_it_everywhere()
    {
        var cluster = RedisTestIssuer.NewCluster();
        await using var a = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-a"));
        await using var b = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-b"));
        var card = a.Host.MagicCard("00");
        var token = await b.BindAsync(card, 0, 1);
        Assert.Equal("00", (await Authorize(b, token, "before")).ResponseCode);

        using var posted = await a.Http.PostAsync("/v1/faults", new StringContent("""{ "name": "decline", "method": "Authorize", "decline": { "code": "91" } }""", Encoding.UTF8, "application/json"));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(5), () => b.Host.FaultRuleCount == 1), "host B got the rule within 5 s");
        Assert.Equal("91", (await Authorize(b, token, "during-1")).ResponseCode);
        Assert.Equal("91", (await Authorize(b, token, "during-2")).ResponseCode);

        // A third process joining later starts with the rule already in force.
        await using var c = await TestSimulator.StartAsync(redis.SimulatorOptions(cluster, "proc-c"));
        Assert.Equal(1, c.Host.FaultRuleCount);

        using var reset = await b.Http.PostAsync("/v1/reset", null);
        Assert.True(reset.IsSuccessStatusCode);
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(5), () => a.Host.FaultRuleCount == 0 && c.Host.FaultRuleCount == 0), "reset on B cleared the rules of A and C within 5 s");
        var after = a.Host.GetInvariants();
        Assert.Equal(0, after.CapturedMinor);
        Assert.Equal(0, after.HeldMinor);
    }

    [Fact]
    public async Task An_unreachable_redis_exits_with_code_2_one_line_and_leaves_nothing_listening()
    {
        var control = FreePort();
        var (code, _, err) = await Run("serve", "--state", "redis://127.0.0.1:1", "--issuer-port", "0", "--sms-port", "0", "--control-port", control.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: --state redis://127.0.0.1:1: cannot connect to Redis", err);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", control));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("redis://127.0.0.1")]
    [InlineData("redis://127.0.0.1:70000")]
    public async Task A_bad_state_value_exits_with_code_2_naming_state_and_the_allowed_values(string value)
    {
        var (code, _, err) = await Run("serve", "--state", value, "--issuer-port", "0", "--sms-port", "0", "--control-port", "0");

        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"error: --state '{value}'", err);
    }

    [Fact]
    public void A_bad_state_cluster_is_refused_naming_the_flag()
    {
        var errors = new SimulatorOptions { State = "redis://127.0.0.1:6379", StateCluster = "a b" }.Validate();

        Assert.Contains(errors, e => e.StartsWith("--state-cluster 'a b'", StringComparison.Ordinal));
    }

    [Fact]
    public void Memory_state_is_the_default_and_valid()
    {
        var options = new SimulatorOptions();

        Assert.Equal("memory", options.State);
        Assert.Equal("default", options.StateCluster);
        Assert.Empty(options.Validate());
    }


    private static Task<StartBindingReply> Start(TestSimulator sim, PaySim.Contracts.Control.V1.Cardholder c) =>
        sim.Issuers[0].StartBindingAsync(new StartBindingRequest
        {
            Pan = c.Pan, Expiry = c.Expiry, Cvv = c.Cvv, HolderName = c.InputHolderName, IdNumber = c.InputIdNumber, Phone = c.InputPhone,
        }).ResponseAsync;

    private static Task<AuthorizeReply> Authorize(TestSimulator sim, string token, string key) =>
        sim.Issuers[1].AuthorizeAsync(new AuthorizeRequest { CardToken = token, AmountMinor = 100, MerchantId = "m", OrderReference = key, IdempotencyKey = key }).ResponseAsync;


    private static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CliApp.RunAsync(args, output, error, new MemoryStream(), cts.Token);
        return (code, output.ToString(), error.ToString().Replace("\r\n", "\n"));
    }
}
