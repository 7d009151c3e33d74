using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Hosting;

namespace PaySim.Simulator.Tests.Support;

/// <summary>A real simulator on ephemeral ports with real gRPC clients, for integration tests.</summary>
internal sealed class TestSimulator : IAsyncDisposable
{
    private readonly List<GrpcChannel> _channels = [];

    private TestSimulator(SimulatorHost host)
    {
        Host = host;
        foreach (var node in host.IssuerNodes)
        {
            var channel = GrpcChannel.ForAddress(node.Uri);
            _channels.Add(channel);
            Issuers.Add(new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(channel));
        }

        var sms = GrpcChannel.ForAddress(host.SmsUri);
        _channels.Add(sms);
        Inbox = new Inbox.InboxClient(sms);
        Gateway = new PaySim.Contracts.Sms.V1.SmsGateway.SmsGatewayClient(sms);
        Http = new HttpClient { BaseAddress = host.ControlUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public SimulatorHost Host { get; }
    public List<PaySim.Contracts.Issuer.V1.Issuer.IssuerClient> Issuers { get; } = [];
    public Inbox.InboxClient Inbox { get; }
    public PaySim.Contracts.Sms.V1.SmsGateway.SmsGatewayClient Gateway { get; }
    public HttpClient Http { get; }

    public static SimulatorOptions EphemeralOptions(int nodes = 3, int cardholders = 200) => new()
    {
        Nodes = nodes,
        IssuerPort = 0,
        SmsPort = 0,
        ControlPort = 0,
        Cardholders = cardholders,
    };

    public static async Task<TestSimulator> StartAsync(SimulatorOptions? options = null) =>
        new(await SimulatorHost.StartAsync(options ?? EphemeralOptions()));

    /// <summary>Binds the card through the given nodes, reading the OTP from the SMS inbox; returns the token.</summary>
    public async Task<string> BindAsync(Cardholder c, int startNode = 0, int confirmNode = 1)
    {
        var after = (await Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = c.Phone })).Messages.LastOrDefault()?.Sequence ?? 0;
        var start = await Issuers[startNode % Issuers.Count].StartBindingAsync(new StartBindingRequest
        {
            Pan = c.Pan, Expiry = c.Expiry, Cvv = c.Cvv, HolderName = c.InputHolderName, IdNumber = c.InputIdNumber, Phone = c.InputPhone,
        });
        Assert.Equal("00", start.ResponseCode);
        var sms = await Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = c.Phone, TimeoutMs = 5000, AfterSequence = after });
        Assert.True(sms.Found, "the OTP SMS arrived");
        var confirm = await Issuers[confirmNode % Issuers.Count].ConfirmBindingAsync(new ConfirmBindingRequest { BindingId = start.BindingId, Otp = sms.Message.Otp });
        Assert.Equal("00", confirm.ResponseCode);
        return confirm.CardToken;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var c in _channels)
        {
            c.Dispose();
        }

        await Host.DisposeAsync();
    }
}
