using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Contracts.Sms.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// What long-polling SMS readers cost a running simulator: opens <c>--waiters</c> concurrent
/// <c>Inbox.WaitForMessage</c> calls, each on its own phone (fresh numbers every run), waits until the simulator has counted them
/// all (<c>GET /v1/stats</c>, the sms node's WaitForMessage calls), reads the simulator's resident set
/// (<c>/proc/PID/status</c>, with <c>--pid</c>) before and while they wait, then delivers <c>--probes</c>
/// messages one after another, each to a waiting phone spread over the range, timing each from the
/// <c>SmsGateway.Send</c> call to the waiter's reply. The rest are cancelled; the whole run stops
/// after <c>--timeout</c> whatever happens.
/// </summary>
internal sealed class SmsWaiters : ITool
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // A tag per run, so a second run against the same simulator finds empty inboxes.
    private static readonly string RunTag = Random.Shared.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture);

    public string Name => "sms-waiters";

    public string Usage => "--sms URL --control URL --waiters 1000 [--probes 20] [--pid PID] [--timeout 60s]";

    public IReadOnlyCollection<string> Options { get; } = ["sms", "control", "waiters", "probes", "pid", "timeout"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var sms = args.GetUri("sms");
        var control = args.GetUri("control");
        var waiters = args.GetInt("waiters", 1000, 1, 100_000);
        var probes = args.GetInt("probes", 20, 1, 1000);
        var pid = args.GetInt("pid", 0, 0, int.MaxValue);
        var timeout = args.GetDuration("timeout", TimeSpan.FromSeconds(60));
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(10))
        {
            throw new UsageException($"--timeout must be more than 0 and at most 10m, got {timeout}");
        }

        probes = Math.Min(probes, waiters);
        using var deadline = new CancellationTokenSource(timeout);
        // One handler that opens another HTTP/2 connection whenever the server's stream limit (100) is reached.
        using var channel = GrpcChannel.ForAddress(sms, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                AutomaticDecompression = DecompressionMethods.None,
                UseProxy = false,
            },
        });
        await channel.ConnectAsync(deadline.Token);
        var inbox = new Inbox.InboxClient(channel);
        var gateway = new SmsGateway.SmsGatewayClient(channel);
        using var http = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromSeconds(10) };

        // Warm-up: ten waiters and their deliveries, so the paths are compiled before memory is read.
        for (var w = 0; w < 10; w++)
        {
            var phone = Phone(-1 - w);
            var waiting = inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = phone, TimeoutMs = 10_000, Kind = "any" }, cancellationToken: deadline.Token);
            await gateway.SendAsync(new SendRequest { Phone = phone, Text = "warm-up", Kind = "transaction" }, cancellationToken: deadline.Token);
            await waiting.ResponseAsync;
        }

        var counted0 = await WaitCallsAsync(http, deadline.Token);
        var rssBefore = ResidentMb(pid);
        var started = Stopwatch.GetTimestamp();
        var timeoutMs = (int)Math.Ceiling(timeout.TotalMilliseconds);
        var calls = new Task<WaitForMessageReply>[waiters];
        for (var i = 0; i < waiters; i++)
        {
            calls[i] = inbox.WaitForMessageAsync(
                new WaitForMessageRequest { Phone = Phone(i), TimeoutMs = timeoutMs, Kind = "any" },
                cancellationToken: deadline.Token).ResponseAsync;
        }

        // Every waiter is in the simulator once its WaitForMessage counter moved by N (counted on entry).
        long counted;
        while ((counted = await WaitCallsAsync(http, deadline.Token) - counted0) < waiters)
        {
            var failed = calls.FirstOrDefault(c => c.IsFaulted);
            if (failed is not null)
            {
                throw new InvalidOperationException($"a waiter failed before all were in: {failed.Exception?.InnerException?.Message}");
            }

            await Task.Delay(100, deadline.Token);
        }

        var readySeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // Let the server settle (continuations, timers) before reading its memory.
        await Task.Delay(500, deadline.Token);
        var rssWaiting = ResidentMb(pid);

        var latencies = new double[probes];
        for (var p = 0; p < probes; p++)
        {
            var i = (int)((long)p * waiters / probes);
            var t0 = Stopwatch.GetTimestamp();
            var sent = await gateway.SendAsync(
                new SendRequest { Phone = Phone(i), Text = "probe " + p.ToString(CultureInfo.InvariantCulture), Kind = "transaction" },
                cancellationToken: deadline.Token);
            var reply = await calls[i].WaitAsync(deadline.Token);
            latencies[p] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!sent.Accepted || !reply.Found || reply.Message.MessageId != sent.MessageId)
            {
                throw new InvalidOperationException($"probe {p}: waiter {i} got found={reply.Found} id '{reply.Message?.MessageId}' for sent '{sent.MessageId}' ({sent.Status})");
            }
        }

        var stillWaiting = calls.Count(c => !c.IsCompleted);
        await deadline.CancelAsync();
        foreach (var c in calls)
        {
            try
            {
                await c;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
                // Ours: the waiters are hung up on purpose.
            }
        }

        Array.Sort(latencies);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tool = Name,
            waiters,
            counted,
            readySeconds,
            stillWaitingAfterProbes = stillWaiting,
            rssBeforeMb = rssBefore,
            rssWaitingMb = rssWaiting,
            kbPerWaiter = rssBefore is null || rssWaiting is null ? (double?)null : (rssWaiting.Value - rssBefore.Value) * 1024 / waiters,
            probes,
            deliveryP50Ms = latencies[latencies.Length / 2],
            deliveryMaxMs = latencies[^1],
        }, Json));
        return 0;
    }

    private static string Phone(int i) => (i < 0 ? "+86-w" : "+86-") + RunTag + "-" + Math.Abs(i).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The sms node's WaitForMessage calls so far (counted when a call enters).</summary>
    private static async Task<long> WaitCallsAsync(HttpClient http, CancellationToken ct)
    {
        var stats = JsonNode.Parse(await http.GetStringAsync(new Uri("/v1/stats", UriKind.Relative), ct));
        var node = stats?["nodes"]?.AsArray().FirstOrDefault(n => (string?)n?["name"] == "sms");
        var method = node?["methods"]?.AsArray().FirstOrDefault(m => (string?)m?["method"] == "WaitForMessage");
        return method?["calls"]?.GetValue<long>() ?? 0;
    }

    /// <summary>VmRSS of the process in MiB, or null without a pid or where /proc does not tell.</summary>
    private static double? ResidentMb(int pid)
    {
        if (pid == 0)
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            return null;
        }

        return null;
    }
}
