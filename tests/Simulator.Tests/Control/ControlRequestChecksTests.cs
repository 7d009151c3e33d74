using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using PaySim.Simulator.Control;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

/// <summary>
/// Bad input the HTTP control plane let through: a query parameter no route reads (POST /v1/profiles/sms-late?node=issuer-1
/// applied to every node), a gzip body read as text, a path offered where paths are refused, a wrong token reported as a
/// missing one.
/// </summary>
public sealed class ControlRequestChecksTests
{
    [Fact]
    public async Task Every_route_refuses_a_query_parameter_it_does_not_declare_and_applies_nothing()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2, cardholders: 10));
        var riskBefore = await sim.Http.GetStringAsync("/v1/risk");
        var routes = sim.Host.ControlHttpRoutes;
        var walked = new List<string>();

        foreach (var route in routes)
        {
            var pattern = route.RoutePattern.RawText!;
            var url = pattern.Replace("{name}", pattern.StartsWith("/v1/profiles", StringComparison.Ordinal) ? "sms-late" : "issuer-1", StringComparison.Ordinal)
                .Replace("{action}", "down", StringComparison.Ordinal);
            var declared = ControlRequestChecks.AllowedParameters(route);
            foreach (var method in route.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url + "?zz=1&node=issuer-1");
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("""{ "name": "q", "latency": "1ms" }""", Encoding.UTF8, "application/json");
                }

                using var response = await sim.Http.SendAsync(request);
                walked.Add($"{method} {pattern}");
                if (ControlRequestChecks.TakesAnyQuery(route))
                {
                    // /metrics: scrapers add their own parameters (Prometheus' params:), as other exporters allow.
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {url}: {response.StatusCode}");
                    continue;
                }

                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url}: {response.StatusCode}");
                if (method == "HEAD")
                {
                    continue; // the same refusal as GET's, without its body
                }

                Assert.Equal($"unknown query parameter 'zz'; allowed: {(declared.Count == 0 ? "none" : string.Join(", ", declared))}", await ErrorAsync(response));
            }
        }

        // The walk covers the whole plane (not a route left outside the checked group).
        Assert.Equal(
            ["DELETE /v1/faults", "GET /", "GET /metrics", "GET /v1/cardholders", "GET /v1/faults", "GET /v1/invariants", "GET /v1/journal", "GET /v1/ledger",
             "GET /v1/merchants", "GET /v1/nodes", "GET /v1/profiles", "GET /v1/risk", "GET /v1/settings", "GET /v1/stats",
             "HEAD /", "HEAD /metrics", "HEAD /v1/cardholders", "HEAD /v1/faults", "HEAD /v1/invariants", "HEAD /v1/journal", "HEAD /v1/ledger",
             "HEAD /v1/merchants", "HEAD /v1/nodes", "HEAD /v1/profiles", "HEAD /v1/risk", "HEAD /v1/settings", "HEAD /v1/stats", "POST /v1/faults",
             "POST /v1/nodes/{name}/{action}", "POST /v1/profiles/{name}", "POST /v1/reset", "PUT /v1/risk"],
            walked.Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.True(ControlRequestChecks.IsControlRoute(r), r.DisplayName));

        // Nothing was applied: no rule, every node up, the risk rules as they were.
        Assert.Equal(0, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
        Assert.All(JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/nodes")).RootElement.GetProperty("nodes").EnumerateArray(),
            n => Assert.Equal("UP", n.GetProperty("state").GetString()));
        Assert.Equal(riskBefore, await sim.Http.GetStringAsync("/v1/risk"));
    }

    [Fact]
    public async Task Metrics_answers_HEAD_and_a_scrapers_own_query_parameters_like_other_exporters()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var head = await sim.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        var scraped = await sim.Http.GetStringAsync("/metrics?module=paysim&target=x");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/plain", head.Content.Headers.ContentType!.MediaType);
        Assert.Contains("paysim_", scraped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/stats")]
    [InlineData("/v1/nodes")]
    [InlineData("/v1/settings")]
    [InlineData("/v1/faults")]
    [InlineData("/v1/risk")]
    public async Task A_GET_route_answers_HEAD_like_GET_without_the_body(string path)
    {
        // Load balancers' health checks use HEAD: the GET's status and headers, no body, never routing's 405.
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var get = await sim.Http.GetAsync(path);
        using var head = await sim.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (get.StatusCode, head.StatusCode));
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json", head.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HEAD_on_a_route_that_only_changes_something_is_still_405_naming_its_methods()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var head = await sim.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/reset"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal(["POST"], head.Content.Headers.Allow);
    }

    [Fact]
    public async Task The_declared_parameters_still_work()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        await sim.Http.PostAsync("/v1/faults", new StringContent("""{ "name": "a", "latency": "1ms" }""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/v1/cardholders?count=2&offset=1&persona=healthy&locale=zh_CN")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/v1/merchants?count=2&offset=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.GetAsync("/v1/ledger?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.DeleteAsync("/v1/faults?name=a")).StatusCode);
    }

    [Fact]
    public async Task A_compressed_body_is_415_naming_the_header_and_applies_nothing()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var content = new StringContent("""{ "name": "z", "latency": "1ms" }""", Encoding.UTF8, "application/json");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await sim.Http.PostAsync("/v1/faults", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Encoding 'gzip' is not supported; send the body uncompressed (no Content-Encoding)", await ErrorAsync(response));
        Assert.Equal(0, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
    }

    // identity is no encoding at all, however often it is listed; one other coding among them is still a 415.
    [Theory]
    [InlineData("identity", HttpStatusCode.OK)]
    [InlineData("identity, identity", HttpStatusCode.OK)]
    [InlineData("identity, gzip", HttpStatusCode.UnsupportedMediaType)]
    public async Task Content_encoding_identity_is_no_encoding_however_often_it_is_listed(string encoding, HttpStatusCode expected)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));
        var content = new StringContent("""{ "name": "z", "latency": "1ms" }""", Encoding.UTF8, "application/json");
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Encoding", encoding));

        using var response = await sim.Http.PostAsync("/v1/faults", content);

        Assert.True(response.StatusCode == expected, $"{encoding}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task An_unknown_profile_over_HTTP_does_not_offer_a_path()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PostAsync("/v1/profiles/nosuch", null);
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("invalid fault rule: profile: unknown profile \"nosuch\"; allowed: flaky-network", error);
        Assert.DoesNotContain("path", error);
    }

    [Fact]
    public async Task A_wrong_control_token_says_it_does_not_match_and_never_echoes_it()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.ControlToken = "right-token";
        await using var sim = await TestSimulator.StartAsync(options);

        using var none = await sim.Http.GetAsync("/v1/stats");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/stats") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "wrong-guess") } };
        using var wrongReply = await sim.Http.SendAsync(wrong);
        var error = await ErrorAsync(wrongReply);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.StartsWith("control token required: ", await ErrorAsync(none));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongReply.StatusCode);
        Assert.Equal("control token does not match: send 'Authorization: Bearer <token>' with the token the simulator was started with (--control-token)", error);
        Assert.DoesNotContain("wrong-guess", error);
        Assert.DoesNotContain("right-token", error);
    }

    // The auth scheme is case-insensitive (RFC 9110 11.1): "bearer s3cret" is the token, on HTTP and on the control gRPC.
    [Theory]
    [InlineData("bearer s3cret")]
    [InlineData("BEARER s3cret")]
    [InlineData("Bearer  s3cret")]
    public async Task The_auth_scheme_is_accepted_in_any_letter_case(string authorization)
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/stats");
        Assert.True(request.Headers.TryAddWithoutValidation("Authorization", authorization));
        using var response = await sim.Http.SendAsync(request);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var faults = await control.ListFaultsAsync(new PaySim.Contracts.Control.V1.ListFaultsRequest(), new Grpc.Core.Metadata { { "authorization", authorization } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, faults.Count);
    }

    // Two Authorization headers are not "a token that does not match": the reply says the header came twice.
    [Fact]
    public async Task An_authorization_header_sent_twice_is_refused_saying_so()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        var (status, body) = await RawGetAsync(sim.Host.ControlUri, "/v1/stats", "Authorization: Bearer s3cret", "Authorization: Bearer s3cret");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var denied = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await control.ListFaultsAsync(
            new PaySim.Contracts.Control.V1.ListFaultsRequest(), new Grpc.Core.Metadata { { "authorization", "Bearer s3cret" }, { "authorization", "Bearer s3cret" } }));

        Assert.Equal(401, status);
        Assert.Equal("control token: the authorization header was sent 2 times; send it once: 'Authorization: Bearer <token>'", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, denied.StatusCode);
        Assert.Equal("control token: the authorization header was sent 2 times; send it once: metadata 'authorization: Bearer <token>'", denied.Status.Detail);
    }

    // An empty Authorization beside the right one is still the header twice: which one counts is not guessed.
    [Theory]
    [InlineData("Authorization: Bearer s3cret", "Authorization: ")]
    [InlineData("Authorization: ", "Authorization: Bearer s3cret")]
    public async Task An_empty_second_authorization_header_beside_a_valid_one_is_refused_as_sent_twice(string first, string second)
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);

        var (status, body) = await RawGetAsync(sim.Host.ControlUri, "/v1/stats", first, second);
        var (alone, _) = await RawGetAsync(sim.Host.ControlUri, "/v1/stats", "Authorization: ");
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var control = new PaySim.Contracts.Control.V1.Control.ControlClient(channel);
        var denied = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await control.ListFaultsAsync(
            new PaySim.Contracts.Control.V1.ListFaultsRequest(), new Grpc.Core.Metadata { { "authorization", "Bearer s3cret" }, { "authorization", string.Empty } }));

        Assert.Equal(401, status);
        Assert.Equal("control token: the authorization header was sent 2 times; send it once: 'Authorization: Bearer <token>'", JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Equal(401, alone);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, denied.StatusCode);
        Assert.Equal("control token: the authorization header was sent 2 times; send it once: metadata 'authorization: Bearer <token>'", denied.Status.Detail);
    }

    // curl -H 'authorization;' -H 'authorization: Bearer T' over gRPC sends two header fields (no client folding them into
    // one); the gRPC metadata drops the empty one, so the check reads the request's own fields, as the HTTP port does.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_empty_authorization_field_beside_a_valid_one_over_raw_grpc_is_refused_in_either_order(bool emptyFirst)
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);
        var valid = ("authorization", "Bearer s3cret");
        var empty = ("authorization", string.Empty);

        var alone = await RawGrpcListFaultsAsync(sim.Host.ControlGrpcUri, valid);
        var pair = await RawGrpcListFaultsAsync(sim.Host.ControlGrpcUri, emptyFirst ? [empty, valid] : [valid, empty]);

        Assert.True(alone, "the valid header alone is answered with a message");
        Assert.False(pair, "the valid header beside an empty one is the header twice: no message, only the UNAUTHENTICATED trailers");
    }

    // One unary ListFaults call over h2c with the header fields exactly as given (HPACK literals, none folded);
    // true when the reply carries a message (a DATA frame), false when the stream ends without one (a refusal).
    private static async Task<bool> RawGrpcListFaultsAsync(Uri server, params (string Name, string Value)[] extra)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        static byte[] Frame(byte type, byte flags, int streamId, byte[] payload) =>
            [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags,
             (byte)(streamId >> 24), (byte)(streamId >> 16), (byte)(streamId >> 8), (byte)streamId, .. payload];
        static byte[] Literal(string name, string value) =>
            [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), (byte)value.Length, .. Encoding.ASCII.GetBytes(value)];

        (string, string)[] fields =
        [
            (":method", "POST"), (":scheme", "http"), (":path", "/paysim.control.v1.Control/ListFaults"),
            (":authority", $"{server.Host}:{server.Port}"), ("content-type", "application/grpc"), ("te", "trailers"), .. extra,
        ];
        byte[] request =
        [
            .. Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
            .. Frame(4, 0, 0, []),
            .. Frame(1, 0x4, 1, [.. fields.SelectMany(f => Literal(f.Item1, f.Item2))]),
            .. Frame(0, 0x1, 1, new byte[5]),
        ];
        await stream.WriteAsync(request, timeout.Token);

        var header = new byte[9];
        var sawData = false;
        while (true)
        {
            await stream.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var (type, flags) = (header[3], header[4]);
            var id = ((header[5] & 0x7f) << 24) | (header[6] << 16) | (header[7] << 8) | header[8];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            if (type == 4 && (flags & 0x1) == 0)
            {
                await stream.WriteAsync(Frame(4, 0x1, 0, []), timeout.Token);
            }
            else if (id == 1 && type == 0 && length > 0)
            {
                sawData = true;
            }

            if (id == 1 && (type == 3 || (type is 0 or 1 && (flags & 0x1) != 0)))
            {
                return sawData;
            }

            if (type == 7)
            {
                throw new InvalidOperationException("the server closed the connection (GOAWAY)");
            }
        }
    }

    // A route that reads no body refuses one, instead of ignoring what the caller meant as options; nothing is applied.
    [Theory]
    [InlineData("POST", "/v1/nodes/issuer-1/down")]
    [InlineData("POST", "/v1/reset")]
    [InlineData("POST", "/v1/profiles/sms-late")]
    [InlineData("DELETE", "/v1/faults")]
    public async Task A_route_that_takes_no_body_refuses_one_and_applies_nothing(string method, string path)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("""{ "for": "10s" }""", Encoding.UTF8, "application/json") };
        using var response = await sim.Http.SendAsync(request);
        using var chunked = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ChunkedContent("x") };
        using var chunkedResponse = await sim.Http.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"this route takes no body: send {method} {path} without one (nothing was applied)", await ErrorAsync(response));
        Assert.Equal(HttpStatusCode.BadRequest, chunkedResponse.StatusCode);
        Assert.Contains("\"state\":\"UP\"", await sim.Http.GetStringAsync("/v1/nodes"), StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults")).RootElement.GetProperty("count").GetInt32());

        // Without a body (Content-Length: 0, as curl -X POST sends) the route works.
        using var empty = new HttpRequestMessage(new HttpMethod(method), path);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.SendAsync(empty)).StatusCode);
    }

    private static async Task<(int Status, string Body)> RawGetAsync(Uri server, string path, params string[] headers)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var request = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var reply = await reader.ReadToEndAsync();
        var status = int.Parse(reply.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        // The JSON line, without the chunk sizes around it.
        var body = reply[(reply.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)]);
    }

    // A body without Content-Length (Transfer-Encoding: chunked).
    private sealed class ChunkedContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
