using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// A real haproxy in the foreground on a free loopback port, with deploy/haproxy/haproxy.cfg rendered for
/// the given wallet instances. Killed on dispose; never outlives the test.
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _config;

    private HaproxyProcess(Process process, string config, int port)
    {
        _process = process;
        _config = config;
        Uri = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Uri { get; }

    /// <summary>The shipped config with its two default servers, listen and stats addresses replaced.</summary>
    public static string Render(string template, IReadOnlyList<Uri> wallets, int listenPort, int statsPort)
    {
        var lines = template.Split('\n').ToList();
        var first = lines.FindIndex(l => l.TrimStart().StartsWith("server wallet-", StringComparison.Ordinal));
        lines.RemoveAll(l => l.TrimStart().StartsWith("server wallet-", StringComparison.Ordinal));
        lines.InsertRange(first, wallets.Select((w, i) => $"    server wallet-{i + 1} 127.0.0.1:{w.Port} check"));
        return string.Join('\n', lines)
            .Replace("bind 127.0.0.1:8080", $"bind 127.0.0.1:{listenPort}", StringComparison.Ordinal)
            .Replace("bind 127.0.0.1:8404", $"bind 127.0.0.1:{statsPort}", StringComparison.Ordinal);
    }

    public static async Task<HaproxyProcess> StartAsync(string haproxy, IReadOnlyList<Uri> wallets, CancellationToken ct)
    {
        var port = FreePort();
        var config = Path.Combine(Path.GetTempPath(), $"paysim-haproxy-{Guid.NewGuid():N}.cfg");
        await File.WriteAllTextAsync(config, Render(await File.ReadAllTextAsync(RepoPaths.Of("deploy", "haproxy", "haproxy.cfg"), ct), wallets, port, FreePort()), ct);
        var process = Process.Start(new ProcessStartInfo(haproxy, ["-db", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new HaproxyProcess(process, config, port);

        // Ready when both wallets pass their health checks (rise 2 × inter 1s), bounded at 10 s.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && seen.Count < wallets.Count)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"haproxy exited with {process.ExitCode}");
            }

            try
            {
                using var reply = await http.GetAsync(new Uri(proxy.Uri, "/health"), ct);
                if (reply.IsSuccessStatusCode && reply.Headers.TryGetValues("X-Served-By", out var by))
                {
                    seen.UnionWith(by);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, ct);
        }

        if (seen.Count < wallets.Count)
        {
            await proxy.DisposeAsync();
            throw new InvalidOperationException($"haproxy did not reach all {wallets.Count} wallets within 10 s (saw {string.Join(", ", seen)})");
        }

        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            _process.Dispose();
            File.Delete(_config);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
