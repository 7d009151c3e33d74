using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using PaySim.Wallet.Configuration;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// One wallet instance in a child process (<see cref="WalletInstanceCommand"/>), so that a crash is a real crash:
/// SIGKILL, no drain, in-flight requests cut, then a restart on the same port and the same database. The child
/// dies with its parent: it is killed on dispose, on this process's exit, and it leaves by itself when the
/// parent's end of its stdin closes (the parent crashed).
/// </summary>
internal sealed class WalletProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private readonly WalletOptions _options;
    private readonly ConcurrentQueue<string> _tail = new();
    private Process? _process;
    private int _disposed;

    static WalletProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private WalletProcess(string name, WalletOptions options)
    {
        Name = name;
        _options = options;
    }

    public string Name { get; }

    /// <summary>The instance's address; its port stays the same across restarts.</summary>
    public Uri Uri { get; private set; } = new("http://127.0.0.1/");

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts instance <paramref name="number"/> (named <c>wallet-N</c>) from <paramref name="template"/> on an ephemeral port.</summary>
    public static async Task<WalletProcess> StartAsync(WalletOptions template, int number, CancellationToken ct)
    {
        var options = WalletProcessOptions.Read(WalletProcessOptions.Write(template));
        options.Instances = 1;
        options.FirstInstanceNumber = number;
        options.Port = 0;
        var wallet = new WalletProcess($"{options.InstanceNamePrefix}-{number}", options);
        await wallet.LaunchAsync(ct).ConfigureAwait(false);
        options.Port = wallet.Uri.Port;
        return wallet;
    }

    /// <summary>SIGKILL: the instance stops mid-request, holding whatever it held.</summary>
    public async Task<string> KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} is not running");
        var pid = process.Id;
        Kill(process);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return $"SIGKILL pid {pid}";
    }

    /// <summary>Starts the instance again on its port and database; returns when it listens.</summary>
    public async Task<string> RestartAsync(CancellationToken ct)
    {
        if (_process is { HasExited: false })
        {
            return $"already running (pid {_process.Id})";
        }

        await LaunchAsync(ct).ConfigureAwait(false);
        return $"restarted on port {Uri.Port} (pid {_process!.Id})";
    }

    public string Freeze()
    {
        var pid = Pid ?? throw new InvalidOperationException($"{Name} is not running");
        ProcessSignals.Stop(pid);
        return $"SIGSTOP pid {pid}";
    }

    public string Thaw()
    {
        var pid = Pid ?? throw new InvalidOperationException($"{Name} is not running");
        ProcessSignals.Continue(pid);
        return $"SIGCONT pid {pid}";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _process is not { } process)
        {
            return;
        }

        Kill(process);
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Killed is killed; the kernel reaps it.
        }

        process.Dispose();
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        _process?.Dispose();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = StartInfo(_options), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(WalletInstanceCommand.ReadyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(line[WalletInstanceCommand.ReadyPrefix.Length..].Split(' ')[^1]);
            }
            else
            {
                Remember(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"{Name} exited before it listened: {string.Join(" | ", _tail)}"));
        process.Start();
        Live[process.Id] = process;
        process.Exited += (_, _) => Live.TryRemove(process.Id, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            Uri = new Uri(await ready.Task.WaitAsync(ReadyTimeout, ct).ConfigureAwait(false));
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        _tail.Enqueue(line);
        while (_tail.Count > 10 && _tail.TryDequeue(out _))
        {
        }
    }

    /// <summary>How a child is started: the dotnet host, this assembly, the hidden verb and the options; stdin held open (the parent-death watch).</summary>
    internal static ProcessStartInfo StartInfo(WalletOptions options)
    {
        var info = new ProcessStartInfo(Muxer())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(WalletProcess).Assembly.Location);
        info.ArgumentList.Add(WalletInstanceCommand.Verb);
        info.ArgumentList.Add("--options");
        info.ArgumentList.Add(WalletProcessOptions.Write(options));
        return info;
    }

    /// <summary>The dotnet host of the running runtime (…/dotnet/shared/Microsoft.NETCore.App/&lt;version&gt;/ → …/dotnet/dotnet), the same from `run` and from a test host.</summary>
    private static string Muxer()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var muxer = Path.Combine(root, name);
        return File.Exists(muxer) ? muxer : name;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }
    }

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            Kill(process);
        }
    }
}
