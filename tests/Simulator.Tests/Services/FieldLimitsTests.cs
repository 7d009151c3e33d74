using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Services;

/// <summary>Every string field of every data-plane request has a documented longest length, refused one over it and accepted at it.</summary>
public sealed partial class FieldLimitsTests
{
    [Fact]
    public async Task Every_request_string_field_is_refused_one_over_its_documented_limit_naming_it_and_passes_at_it()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        using var issuer = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        using var sms = GrpcChannel.ForAddress(sim.Host.SmsUri);
        var table = LimitsTable();
        var methods = new (GrpcChannel Channel, string Service, string Method, IMessage Request, MethodType Type)[]
        {
            (issuer, "paysim.issuer.v1.Issuer", "StartBinding", new StartBindingRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "ConfirmBinding", new ConfirmBindingRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "ResendOtp", new ResendOtpRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "Authorize", new AuthorizeRequest { AmountMinor = 1 }, MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "Capture", new CaptureRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "Refund", new RefundRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "Void", new VoidRequest(), MethodType.Unary),
            (issuer, "paysim.issuer.v1.Issuer", "AuthenticatePayment", new AuthenticatePaymentRequest(), MethodType.Unary),
            (sms, "paysim.sms.v1.SmsGateway", "Send", new SendRequest { Phone = "13800000000" }, MethodType.Unary),
            (sms, "paysim.sms.v1.Inbox", "ListMessages", new ListMessagesRequest { Phone = "13800000000" }, MethodType.Unary),
            (sms, "paysim.sms.v1.Inbox", "WaitForMessage", new WaitForMessageRequest { Phone = "13800000000", TimeoutMs = 1 }, MethodType.Unary),
            (sms, "paysim.sms.v1.Inbox", "StreamMessages", new StreamMessagesRequest { Phone = "13800000000" }, MethodType.ServerStreaming),
        };

        var checkedFields = 0;
        foreach (var (channel, service, method, request, type) in methods)
        {
            foreach (var field in request.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == Google.Protobuf.Reflection.FieldType.String))
            {
                var what = $"{method}.{field.Name}";
                Assert.True(table.TryGetValue(field.Name, out var limit), $"{what}: no row in docs/simulator.md's string limits table");

                var over = await CallAsync(channel, service, method, request, field, new string('x', limit + 1), type);
                Assert.True(over is { StatusCode: StatusCode.InvalidArgument }, $"{what} at {limit + 1}: {over?.StatusCode} {over?.Status.Detail}");
                Assert.Equal($"{field.Name} must have at most {limit} characters (Unicode code points); got {limit + 1}", over!.Status.Detail);

                // At the limit, also when each character takes two UTF-16 units, nothing says the length.
                foreach (var value in new[] { new string('x', limit), string.Concat(Enumerable.Repeat("😀", limit)) })
                {
                    var at = await CallAsync(channel, service, method, request, field, value, type);
                    Assert.True(at?.Status.Detail.Contains("characters (Unicode code points)", StringComparison.Ordinal) != true, $"{what} at {limit}: {at?.Status.Detail}");
                }

                checkedFields++;
            }
        }

        Assert.Equal(35, checkedFields);
    }

    [Fact]
    public async Task An_oversized_authorize_moves_and_stores_nothing_and_one_at_the_limit_is_held()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        var card = sim.Host.ListCardholders(1, "healthy").Single();
        var token = await sim.BindAsync(card, 0, 0);
        var before = await sim.Http.GetStringAsync("/v1/invariants");

        foreach (var request in new[]
        {
            new AuthorizeRequest { CardToken = token, AmountMinor = 100, Currency = card.Currency, MerchantId = new string('m', 129), OrderReference = "o-1" },
            new AuthorizeRequest { CardToken = token, AmountMinor = 100, Currency = card.Currency, MerchantId = "m-1", OrderReference = new string('o', 129) },
            new AuthorizeRequest { CardToken = token, AmountMinor = 100, Currency = card.Currency, MerchantId = "m-1", OrderReference = "o-1", IdempotencyKey = new string('k', 129) },
            new AuthorizeRequest { CardToken = token, AmountMinor = 100, Currency = new string('C', 100_000), MerchantId = "m-1", OrderReference = "o-1" },
        })
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await sim.Issuers[0].AuthorizeAsync(request));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }

        Assert.Equal(before, await sim.Http.GetStringAsync("/v1/invariants"));
        Assert.Empty(sim.Host.GetLedger("", 10).Entries);

        var held = await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest
        {
            CardToken = token, AmountMinor = 100, Currency = card.Currency, MerchantId = new string('m', 128), OrderReference = new string('o', 128), IdempotencyKey = new string('k', 128),
        });
        Assert.Equal("00", held.ResponseCode);
        Assert.Equal(new string('m', 128), sim.Host.GetLedger("", 10).Entries.Single().MerchantId);
    }

    private static Task<RpcException?> CallAsync(GrpcChannel channel, string service, string method, IMessage request, Google.Protobuf.Reflection.FieldDescriptor field, string value, MethodType type)
    {
        var message = request.Descriptor.Parser.ParseFrom(request.ToByteArray());
        field.Accessor.SetValue(message, value);
        return RawGrpc.CallAsync(channel, service, method, message.ToByteArray(), type, TimeSpan.FromMilliseconds(type == MethodType.Unary ? 10_000 : 300));
    }

    /// <summary>docs/simulator.md's string limits: each field named in a row, with the row's limit.</summary>
    private static Dictionary<string, int> LimitsTable()
    {
        var doc = File.ReadAllText(Path.Combine(FolderCycleFinder.RepositoryRoot(), "docs", "simulator.md"));
        var section = doc[doc.IndexOf("**String limits.**", StringComparison.Ordinal)..];
        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match row in LimitRow().Matches(section[..section.IndexOf("\n\n", section.IndexOf("| --- |", StringComparison.Ordinal), StringComparison.Ordinal)]))
        {
            foreach (Match name in FieldName().Matches(row.Groups[1].Value))
            {
                table[name.Groups[1].Value] = int.Parse(row.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return table;
    }

    [GeneratedRegex(@"^\| (.+) \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex LimitRow();

    [GeneratedRegex(@"`([a-z_]+)`")]
    private static partial Regex FieldName();
}
