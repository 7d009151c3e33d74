using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Prepares a running simulator for the node-throughput pair: optionally applies a rules file
/// through the control plane (<c>POST /v1/faults</c>), binds the magic "00" card, and writes the
/// h2load body: an Authorize of 1 minor unit with that card's token and no idempotency key, so
/// every call is a real hold rather than a replay.
/// </summary>
internal sealed class SimulatorSetup : ITool
{
    public string Name => "simulator-setup";

    public string Usage => "--issuer URL --sms URL --control URL --out body.bin [--rules FILE]";

    public IReadOnlyCollection<string> Options { get; } = ["issuer", "sms", "control", "out", "rules"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var issuer = args.GetUri("issuer");
        var sms = args.GetUri("sms");
        var control = args.GetUri("control");
        var output = args.RequireString("out");
        var rulesFile = args.GetString("rules", string.Empty);

        var applied = 0;
        if (rulesFile.Length > 0)
        {
            using var http = new HttpClient { BaseAddress = control };
            var json = await File.ReadAllTextAsync(rulesFile);
            using var response = await http.PostAsync("/v1/faults", new StringContent(json, Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"POST /v1/faults answered {(int)response.StatusCode}: {body}");
                return 1;
            }

            using var listed = await http.GetAsync("/v1/faults");
            var text = await listed.Content.ReadAsStringAsync();
            applied = System.Text.Json.Nodes.JsonNode.Parse(text) switch
            {
                System.Text.Json.Nodes.JsonArray a => a.Count,
                System.Text.Json.Nodes.JsonObject o when o["rules"] is System.Text.Json.Nodes.JsonArray r => r.Count,
                System.Text.Json.Nodes.JsonObject o when o["count"] is { } c => c.GetValue<int>(),
                _ => -1,
            };
        }

        var token = await MagicCardBinder.BindOnIssuerAsync(issuer, sms);
        var message = new AuthorizeRequest
        {
            CardToken = token,
            AmountMinor = 1,
            Currency = "CNY",
            MerchantId = "m-bench",
        }.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        await File.WriteAllBytesAsync(output, frame);
        Console.WriteLine($$"""{"tool":"{{Name}}","cardToken":"{{token}}","rulesApplied":{{applied}}}""");
        return 0;
    }
}
