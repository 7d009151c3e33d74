using Grpc.Core;
using System.Net;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

/// <summary>The control plane's bounds: body size, description length, error length, query values, locale.</summary>
public sealed class ControlLimitsTests
{
    [Fact]
    public async Task A_body_over_1_MiB_with_a_length_is_413_and_applies_nothing()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var body = """{ "name": "big", "latency": "1ms", "description": "x" }""" + new string(' ', 2 << 20);

        var response = await sim.Http.PostAsync("/v1/faults", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body is over the limit of 1048576 bytes (1 MiB)", await ErrorAsync(response));
        Assert.Equal(0, await RuleCountAsync(sim));
    }

    [Fact]
    public async Task A_chunked_body_over_1_MiB_is_413_as_it_streams_in()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var bytes = Encoding.UTF8.GetBytes("""{ "name": "big", "latency": "1ms", "description": "x" }""" + new string(' ', 3 << 20));
        var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new("application/json");

        var response = await sim.Http.PostAsync("/v1/faults", content);

        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("over the limit of 1048576 bytes", await ErrorAsync(response));
        Assert.Equal(0, await RuleCountAsync(sim));
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var rule = """{ "name": "padded", "latency": "1ms" }""";
        var body = rule + new string(' ', (1 << 20) - rule.Length);

        var response = await sim.Http.PostAsync("/v1/faults", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RuleCountAsync(sim));
    }

    [Fact]
    public async Task A_description_over_500_characters_is_refused_naming_the_field()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        var rule = await sim.Http.PostAsync("/v1/faults", Json($$"""{ "name": "d", "latency": "1ms", "description": "{{new string('d', 501)}}" }"""));
        var document = await sim.Http.PostAsync("/v1/faults", Json($$"""{ "description": "{{new string('d', 501)}}", "rules": [] }"""));
        var fits = await sim.Http.PostAsync("/v1/faults", Json($$"""{ "name": "d", "latency": "1ms", "description": "{{new string('d', 500)}}" }"""));

        Assert.Equal(HttpStatusCode.BadRequest, rule.StatusCode);
        Assert.Equal("invalid fault rule: description: is 501 characters; at most 500 are allowed", await ErrorAsync(rule));
        Assert.Equal(HttpStatusCode.BadRequest, document.StatusCode);
        Assert.Contains("at most 500 are allowed", await ErrorAsync(document));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(1, await RuleCountAsync(sim));
    }

    [Fact]
    public async Task An_error_line_is_at_most_300_characters_however_many_fields_are_bad()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var rules = string.Join(",", Enumerable.Range(0, 200).Select(i => $$"""{ "name": "r{{i}}", "latency": "forever" }"""));

        var response = await sim.Http.PostAsync("/v1/faults", Json($"[{rules}]"));
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(300, error.Length);
        Assert.StartsWith("invalid fault rules (200 errors): ", error, StringComparison.Ordinal);
        Assert.EndsWith("…", error);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("/v1/cardholders?count=abc", "count 'abc' must be a whole number from 0 to 100000")]
    [InlineData("/v1/cardholders?count=-1", "count '-1' must be a whole number from 0 to 100000")]
    [InlineData("/v1/cardholders?count=3000000", "count '3000000' must be a whole number from 0 to 100000")]
    [InlineData("/v1/cardholders?offset=1e3", "offset '1e3' must be a whole number from 0 to 2147483647")]
    [InlineData("/v1/cardholders?count=99999999999", "count '99999999999' must be a whole number from 0 to 100000")]
    [InlineData("/v1/cardholders?locale=xx", "locale 'xx' is unknown; allowed: zh_CN, en")]
    [InlineData("/v1/ledger?limit=abc", "limit 'abc' must be a whole number from 0 to 10000 (0 = no rows, only the head cursor)")]
    [InlineData("/v1/ledger?limit=10001", "limit '10001' must be a whole number from 0 to 10000 (0 = no rows, only the head cursor)")]
    public async Task A_bad_query_value_is_a_one_line_json_400(string path, string expected)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        var response = await sim.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(expected, await ErrorAsync(response));
    }

    [Fact]
    public async Task Cardholders_over_grpc_are_bounded_and_count_0_is_the_proto_default()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 200));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);

        Assert.Equal(100, (await control.ListCardholdersAsync(new PaySim.Contracts.Control.V1.ListCardholdersRequest())).Cardholders.Count);
        Assert.Equal(100, await CountStreamedAsync(control, new PaySim.Contracts.Control.V1.ListCardholdersRequest()));
        foreach (var request in new[] { new PaySim.Contracts.Control.V1.ListCardholdersRequest { Count = 10_001 }, new() { Count = -1 }, new() { Offset = -1 }, new() { Persona = "nobody" } })
        {
            var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await control.ListCardholdersAsync(request));
            Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
            Assert.Matches("^(count must be 0 to 10000 in one reply, to fit gRPC's default 4 MB message .*StreamCardholders for up to 100000\\); got 10001|count must be 0 to 10000 in one reply.*got -1|offset must be 0 or more|persona 'nobody')", e.Status.Detail);
        }

        foreach (var request in new[] { new PaySim.Contracts.Control.V1.ListCardholdersRequest { Count = 100_001 }, new() { Count = -1 }, new() { Offset = -1 }, new() { Persona = "nobody" } })
        {
            var e = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => CountStreamedAsync(control, request));
            Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, e.StatusCode);
            Assert.Matches("^(count must be 0 to 100000 \\(0 = 100; page on with offset\\); got (100001|-1)|offset must be 0 or more|persona 'nobody')", e.Status.Detail);
        }
    }

    [Fact]
    public async Task The_largest_grpc_reply_fits_a_default_client_and_the_stream_carries_100000_rows()
    {
        // A default grpc-dotnet client (like grpcurl) refuses a message over 4 MB: 100,000 rows in one reply came back
        // RESOURCE_EXHAUSTED after the server had built it. The largest reply must arrive whatever the locale mix.
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 150_000));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);

        foreach (var locale in new[] { string.Empty, "en", "zh_CN" })
        {
            var reply = await control.ListCardholdersAsync(new PaySim.Contracts.Control.V1.ListCardholdersRequest { Count = 10_000, Locale = locale });
            Assert.Equal(10_000, reply.Cardholders.Count);
            Assert.True(reply.CalculateSize() < 3 * 1024 * 1024, $"{locale}: {reply.CalculateSize()} bytes leave no margin under 4 MB");
        }

        using var call = control.StreamCardholders(new PaySim.Contracts.Control.V1.ListCardholdersRequest { Count = 100_000 });
        var rows = new List<PaySim.Contracts.Control.V1.Cardholder>(100_000);
        await foreach (var row in call.ResponseStream.ReadAllAsync())
        {
            rows.Add(row);
        }

        Assert.Equal(100_000, rows.Count);
        Assert.Equal(100_000, rows.Select(r => r.Pan).Distinct().Count());
        // The stream is the pages laid end to end: rows 50,000.. equal the reply at offset 50,000.
        var page = await control.ListCardholdersAsync(new PaySim.Contracts.Control.V1.ListCardholdersRequest { Count = 5, Offset = 50_000 });
        Assert.Equal(page.Cardholders, rows.Skip(50_000).Take(5));
    }

    private static async Task<int> CountStreamedAsync(PaySim.Contracts.Control.V1.Control.ControlClient control, PaySim.Contracts.Control.V1.ListCardholdersRequest request)
    {
        using var call = control.StreamCardholders(request);
        var count = 0;
        await foreach (var _ in call.ResponseStream.ReadAllAsync())
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Cardholders_count_0_over_http_is_no_rows_and_left_out_is_100()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 200));

        using var none = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders?count=0"));
        using var some = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders"));

        Assert.Equal(0, none.RootElement.GetProperty("cardholders").GetArrayLength());
        Assert.Equal(100, some.RootElement.GetProperty("cardholders").GetArrayLength());
    }

    [Fact]
    public async Task A_known_locale_in_any_case_filters()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 50));

        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/cardholders?locale=ZH_cn&count=5"));

        Assert.Equal(5, doc.RootElement.GetProperty("cardholders").GetArrayLength());
        Assert.All(doc.RootElement.GetProperty("cardholders").EnumerateArray(), c => Assert.Equal("zh_CN", c.GetProperty("locale").GetString()));
    }

    // A body that stops arriving is the web server's 408; it comes with one JSON line like every control error
    // (it was an empty reply), and nothing is applied.
    [Fact]
    public async Task A_stalled_body_is_408_with_one_json_line()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(sim.Host.ControlUri.Host, sim.Host.ControlUri.Port);
        var stream = tcp.GetStream();

        // 100 bytes promised, 10 sent, then nothing: Kestrel's minimum body rate times it out after its 5 s grace.
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/faults HTTP/1.1\r\nHost: {sim.Host.ControlUri.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{ \"name\":"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reply = await reader.ReadToEndAsync(cts.Token);

        Assert.StartsWith("HTTP/1.1 408 ", reply, StringComparison.Ordinal);
        var body = reply[(reply.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var json = body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)];
        Assert.Equal(
            "request body timed out: it stalled or arrived slower than the web server's minimum rate (240 bytes/s after 5 s); send the whole body at once (nothing was applied)",
            JsonDocument.Parse(json).RootElement.GetProperty("error").GetString());
        Assert.Equal(0, await RuleCountAsync(sim));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").GetString()!;
    }

    private static async Task<int> RuleCountAsync(TestSimulator sim)
    {
        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults"));
        return doc.RootElement.GetProperty("count").GetInt32();
    }

    /// <summary>A readable stream that will not say its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
