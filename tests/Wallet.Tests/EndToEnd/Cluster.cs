using System.Net;
using System.Net.Http.Json;
using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// A real in-process simulator (3 issuer nodes, SMS gateway, control plane, ephemeral ports) and a wallet
/// pointed at its issuer nodes, plus the helpers a test user needs: register, bind by reading the OTP from the
/// simulated phone's inbox, pay.
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private static int _phones;
    private readonly TempDatabase _db;
    private readonly GrpcChannel _smsChannel;
    private readonly HttpClient _control;
    private int _cardholderCursor;

    private Cluster(SimulatorHost simulator, WalletHost wallet, TempDatabase db)
    {
        Simulator = simulator;
        Wallet = wallet;
        _db = db;
        _smsChannel = GrpcChannel.ForAddress(simulator.SmsUri);
        Inbox = new Inbox.InboxClient(_smsChannel);
        _control = new HttpClient { BaseAddress = simulator.ControlUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorHost Simulator { get; }

    public WalletHost Wallet { get; private set; }

    public Inbox.InboxClient Inbox { get; }

    public string DatabasePath => _db.Path;

    public static async Task<Cluster> StartAsync(WalletMode mode, Action<SimulatorOptions>? simulator = null, Action<WalletOptions>? wallet = null)
    {
        var simOptions = new SimulatorOptions
        {
            IssuerPort = 0,
            SmsPort = 0,
            ControlPort = 0,
            Seed = 42,
            Cardholders = 300,
            SlowSmsDelay = TimeSpan.FromSeconds(1),
            ResendCooldown = TimeSpan.FromMilliseconds(300),
        };
        simulator?.Invoke(simOptions);
        var sim = await SimulatorHost.StartAsync(simOptions);
        var db = new TempDatabase();
        try
        {
            var walletOptions = Hosts.Options(db.Path, mode, sim.IssuerNodes.Select(n => n.Uri).ToList());
            walletOptions.HealthCheckInterval = TimeSpan.FromMilliseconds(200);
            walletOptions.SmsGatewayUri = sim.SmsUri;
            wallet?.Invoke(walletOptions);
            return new Cluster(sim, await WalletHost.StartAsync(walletOptions), db);
        }
        catch
        {
            await sim.DisposeAsync();
            db.Dispose();
            throw;
        }
    }

    public WalletClient Client(int instance = 0) => new(Wallet.Instances[instance].Uri);

    public async Task<WalletClient> NewUserAsync(int instance = 0)
    {
        var client = Client(instance);
        var phone = "139" + Interlocked.Increment(ref _phones).ToString("00000000", System.Globalization.CultureInfo.InvariantCulture);
        var reply = await client.RegisterAsync(phone);
        Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        return client;
    }

    /// <summary>The next unused cardholder of a persona (each test binds each card once).</summary>
    public Cardholder Cardholder(string persona)
    {
        var all = Simulator.ListCardholders(1000, persona);
        Assert.NotEmpty(all);
        return all[Interlocked.Increment(ref _cardholderCursor) % all.Count];
    }

    public static Task<WalletClient.Reply> StartBindingAsync(WalletClient client, Cardholder card) =>
        client.PostAsync("/cards/bind", new { pan = card.Pan, expiry = card.Expiry, cvv = card.Cvv, holderName = card.InputHolderName, idNumber = card.InputIdNumber, phone = card.InputPhone });

    /// <summary>What the cardholder's phone received after <paramref name="afterSequence"/>, or null after the timeout.</summary>
    public async Task<SmsMessage?> ReadSmsAsync(string reservedPhone, TimeSpan timeout, long afterSequence = 0)
    {
        var reply = await Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = reservedPhone, TimeoutMs = (int)timeout.TotalMilliseconds, AfterSequence = afterSequence });
        return reply.Found ? reply.Message : null;
    }

    /// <summary>Start, read the OTP from the phone, confirm: returns the card id.</summary>
    public async Task<string> BindAsync(WalletClient client, Cardholder card)
    {
        var latest = (await Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = card.Phone })).Messages.LastOrDefault()?.Sequence ?? 0;
        var start = await StartBindingAsync(client, card);
        Assert.True(start.Status == HttpStatusCode.Created, start.ToString());
        var sms = await ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10), latest);
        Assert.NotNull(sms);
        var confirm = await client.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = sms.Otp });
        Assert.True(confirm.Status == HttpStatusCode.Created, confirm.ToString());
        client.Currency = card.Currency;
        return confirm.Str("cardId")!;
    }

    public static Task<WalletClient.Reply> PayAsync(WalletClient client, long amount, string orderReference, string idempotencyKey, string? cardId = null) =>
        client.PostAsync("/payments", new { amount, currency = client.Currency, merchant = "m-test", orderReference, pin = "246810", cardId }, idempotencyKey);

    /// <summary>A GET on the simulator's HTTP control plane (e.g. <c>/v1/merchants?count=2</c>), read as JSON.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> GetControlJsonAsync(string path) =>
        System.Text.Json.Nodes.JsonNode.Parse(await _control.GetStringAsync(path))!;

    public async Task<HttpResponseMessage> ApplyFaultAsync(object rule) => await _control.PostAsJsonAsync("/v1/faults", rule);

    public async Task ClearFaultsAsync() => await _control.DeleteAsync("/v1/faults");

    /// <summary>Issuer calls per node for one method, from the simulator's counters.</summary>
    public IReadOnlyDictionary<string, long> CallsPerNode(string method) =>
        Simulator.GetStats().Nodes.ToDictionary(n => n.Name, n => n.Methods.Where(m => m.Method == method).Sum(m => m.Calls));

    public async Task RestartWalletAsync(Action<WalletOptions> change)
    {
        var options = Wallet.Options;
        await Wallet.DisposeAsync();
        change(options);
        Wallet = await WalletHost.StartAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await Wallet.DisposeAsync();
        await Simulator.DisposeAsync();
        _smsChannel.Dispose();
        _control.Dispose();
        _db.Dispose();
    }
}
