using System.Diagnostics;
using System.Globalization;

namespace PaySim.Wallet.Tests.Support;

/// <summary>The wallet's command line as a real process on an ephemeral port, for what only a process shows (its memory).</summary>
internal sealed class WalletProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDatabase _db;

    private WalletProcess(Process process, TempDatabase db, Uri uri)
    {
        _process = process;
        _db = db;
        Uri = uri;
    }

    public Uri Uri { get; }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "PaySim.Wallet.dll");

    public static async Task<WalletProcess> StartAsync(params string[] arguments)
    {
        var db = new TempDatabase();
        var process = Process.Start(new ProcessStartInfo("dotnet", [Dll, "--port", "0", "--issuer", "http://127.0.0.1:9", "--db", db.Path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            // "wallet-1 listening on http://127.0.0.1:41234/ (mode …)"
            var at = line.IndexOf(" listening on ", StringComparison.Ordinal);
            if (at >= 0)
            {
                var uri = new Uri(line[(at + " listening on ".Length)..].Split(' ')[0]);
                _ = process.StandardOutput.ReadToEndAsync();
                return new WalletProcess(process, db, uri);
            }
        }

        process.Kill();
        db.Dispose();
        throw new InvalidOperationException("the wallet process exited before it listened");
    }

    /// <summary>Resident memory now and at its peak (VmRSS, VmHWM from /proc), in bytes.</summary>
    public (long Current, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Read(string key) => long.Parse(status.Single(l => l.StartsWith(key, StringComparison.Ordinal))[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _db.Dispose();
    }
}
