using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Calls;

/// <summary>Request bytes that are no message of the method's type: INVALID_ARGUMENT naming the type, on every port, and counted.</summary>
public sealed class RequestDecodingTests
{
    /// <summary>Bytes no message decodes: a truncated varint, a truncated field, field 0, a lone group end, 100 bytes of 0xFF, 200 nested groups.</summary>
    public static readonly byte[][] Malformed =
    [
        [0x10, 0xFF],
        [0x0A, 0x10, 0x41],
        [0x00, 0x01],
        [0x0C],
        Enumerable.Repeat((byte)0xFF, 100).ToArray(),
        Enumerable.Repeat((byte)0x0B, 200).ToArray(),
    ];

    [Fact]
    public async Task Malformed_requests_answer_INVALID_ARGUMENT_naming_the_request_type_on_every_service()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        using var issuer = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        using var sms = GrpcChannel.ForAddress(sim.Host.SmsUri);
        using var control = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var methods = new (GrpcChannel Channel, string Service, string Method, string RequestType, MethodType Type)[]
        {
            (issuer, "paysim.issuer.v1.Issuer", "Authorize", "paysim.issuer.v1.AuthorizeRequest", MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "ConfirmBinding", "paysim.issuer.v1.ConfirmBindingRequest", MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "Capture", "paysim.issuer.v1.CaptureRequest", MethodType.Unary),
            (sms, "paysim.sms.v1.SmsGateway", "Send", "paysim.sms.v1.SendRequest", MethodType.Unary),
            (sms, "paysim.sms.v1.Inbox", "WaitForMessage", "paysim.sms.v1.WaitForMessageRequest", MethodType.Unary),
            (sms, "paysim.sms.v1.Inbox", "StreamMessages", "paysim.sms.v1.StreamMessagesRequest", MethodType.ServerStreaming),
            (control, "paysim.control.v1.Control", "ListCardholders", "paysim.control.v1.ListCardholdersRequest", MethodType.Unary),
            (control, "paysim.control.v1.Control", "StreamCardholders", "paysim.control.v1.ListCardholdersRequest", MethodType.ServerStreaming),
            (issuer, "grpc.health.v1.Health", "Check", "grpc.health.v1.HealthCheckRequest", MethodType.Unary),
            (control, "grpc.health.v1.Health", "Check", "grpc.health.v1.HealthCheckRequest", MethodType.Unary),
        };

        foreach (var (channel, service, method, requestType, type) in methods)
        {
            foreach (var bytes in Malformed)
            {
                var e = await CallAsync(channel, service, method, bytes, type);
                var what = $"{service}/{method} with {Convert.ToHexString(bytes[..Math.Min(bytes.Length, 4)])}…";
                Assert.True(e.StatusCode == StatusCode.InvalidArgument, $"{what}: {e.StatusCode} {e.Status.Detail}");
                Assert.StartsWith($"request is not a valid {requestType}: ", e.Status.Detail, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Status.Detail);
            }
        }

        // A string field that is not UTF-8.
        var utf8 = await CallAsync(issuer, "paysim.issuer.v1.Issuer", "Authorize", [0x0A, 0x02, 0xC3, 0x28], MethodType.Unary);
        Assert.Equal(StatusCode.InvalidArgument, utf8.StatusCode);
        Assert.StartsWith("request is not a valid paysim.issuer.v1.AuthorizeRequest: ", utf8.Status.Detail, StringComparison.Ordinal);

        // Well-formed calls still work on every port, health included.
        Assert.Equal("14", (await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_nope", AmountMinor = 1 })).ResponseCode);
        var health = await new Grpc.Health.V1.Health.HealthClient(issuer).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.NotEmpty((await new PaySim.Contracts.Control.V1.Control.ControlClient(control).ListCardholdersAsync(new() { Count = 1 })).Cardholders);
    }

    [Fact]
    public async Task Calls_that_fail_before_the_handler_count_as_calls_and_errors_of_their_node_and_method()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2, cardholders: 20));
        using var issuer = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        using var sms = GrpcChannel.ForAddress(sim.Host.SmsUri);
        await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_nope", AmountMinor = 1 });

        foreach (var bytes in Malformed)
        {
            await CallAsync(issuer, "paysim.issuer.v1.Issuer", "Authorize", bytes, MethodType.Unary);
            await CallAsync(sms, "paysim.sms.v1.Inbox", "StreamMessages", bytes, MethodType.ServerStreaming);
        }

        // Over the 4 MB a node receives: refused by grpc-dotnet before it is read.
        var big = new AuthorizeRequest { CardToken = "tok_nope", MerchantId = new string('m', 5_000_000) }.ToByteArray();
        var tooBig = await CallAsync(issuer, "paysim.issuer.v1.Issuer", "Authorize", big, MethodType.Unary);
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.StatusCode);
        await CallAsync(issuer, "grpc.health.v1.Health", "Check", Malformed[0], MethodType.Unary);

        var k = Malformed.Length;
        var stats = sim.Host.GetStats().Nodes.ToDictionary(n => n.Name);
        var authorize = stats["issuer-1"].Methods.Single();
        Assert.Equal(("Authorize", 1L + k + 1, (long)k + 1, 1L), (authorize.Method, authorize.Calls, authorize.Errors, authorize.Declines));
        var stream = stats["sms"].Methods.Single();
        Assert.Equal(("StreamMessages", (long)k, (long)k), (stream.Method, stream.Calls, stream.Errors));
        Assert.Empty(stats["issuer-2"].Methods);

        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/stats"));
        var node = doc.RootElement.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "issuer-1");
        Assert.Equal(k + 2, node.GetProperty("requests").GetInt64());
        Assert.Equal(k + 1, node.GetProperty("errors").GetInt64());
        var metrics = await sim.Http.GetStringAsync("/metrics");
        Assert.Contains($"paysim_calls_total{{node=\"issuer-1\",method=\"Authorize\"}} {k + 2}\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"paysim_errors_total{{node=\"issuer-1\",method=\"Authorize\"}} {k + 1}\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"paysim_errors_total{{node=\"sms\",method=\"StreamMessages\"}} {k}\n", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"Check\"", metrics, StringComparison.Ordinal);
    }

    private static async Task<RpcException> CallAsync(GrpcChannel channel, string service, string method, byte[] body, MethodType type) =>
        await RawGrpc.CallAsync(channel, service, method, body, type) ?? throw new Xunit.Sdk.XunitException($"{service}/{method} answered OK");
}
