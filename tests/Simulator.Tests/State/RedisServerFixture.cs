using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.State.Redis;
using PaySim.Simulator.Tests.Support;
using StackExchange.Redis;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// One throw-away redis-server on 127.0.0.1 and a free port for every Redis test: no persistence,
/// killed in Dispose, and started under `timeout` so it dies within 10 minutes even if the test host crashes.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);
    private readonly Process? _process;

    public RedisServerFixture()
    {
        if (RedisServer.Path is null)
        {
            return;
        }

        Port = FreePort();
        var timeout = ExternalTools.Find("timeout");
        var args = new List<string> { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" };
        var start = new ProcessStartInfo(timeout ?? RedisServer.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (timeout is not null)
        {
            start.ArgumentList.Add(((int)MaxLifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(RedisServer.Path);
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Connection = ConnectWithRetry();
    }

    public int Port { get; }

    public string Endpoint => "127.0.0.1:" + Port;

    /// <summary>Options for one simulator process (2 issuer nodes) keeping its state here, as `--state redis://…`.</summary>
    public SimulatorOptions SimulatorOptions(string cluster, string instance, int cardholders = 100)
    {
        var options = TestSimulator.EphemeralOptions(nodes: 2, cardholders: cardholders);
        options.State = "redis://" + Endpoint;
        options.StateCluster = cluster;
        options.InstanceId = instance;
        return options;
    }

    public IConnectionMultiplexer? Connection { get; }

    /// <summary>A second connection, as a second simulator process would have.</summary>
    public IConnectionMultiplexer Connect() => RedisConnection.Connect(Endpoint);

    public void Dispose()
    {
        Connection?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
    }

    private IConnectionMultiplexer ConnectWithRetry()
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var c = RedisConnection.Connect(Endpoint);
                c.GetDatabase().Ping();
                return c;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < until && _process is { HasExited: false })
            {
                Thread.Sleep(50);
            }
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
