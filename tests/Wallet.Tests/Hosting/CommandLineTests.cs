using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Hosting;

/// <summary>The wallet's command line, run as a process: user errors give one line and exit code 2.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--mode sometimes", "--mode must be naive or resilient")]
    [InlineData("--instances 0 --policy random", "instances (--instances) must be 1..64")]
    [InlineData("--issuer not-a-url", "--issuer must be an absolute URL")]
    [InlineData("--sms not-a-url", "--sms must be an absolute URL")]
    [InlineData("--sms ftp://localhost:7201", "smsGatewayUri (--sms) must be an absolute http(s) URL")]
    [InlineData("--config /no/such/wallet.json", "cannot be read")]
    [InlineData("--instances two", "--instances: \"two\" is not a whole number (see --help)")]
    [InlineData("--port 99999999999", "--port: \"99999999999\" is more than 65535 (see --help)")]
    [InlineData("--port 65535 --instances 2", "port (--port) must be at most 65534 with instances (--instances) 2: the last instance would need port 65536 (got 65535)")]
    [InlineData("--issuer http://127.0.0.1:99999", "--issuer: port 99999 is not 1..65535 (got 'http://127.0.0.1:99999')")]
    [InlineData("--sms http://127.0.0.1:99999", "--sms: port 99999 is not 1..65535 (got 'http://127.0.0.1:99999')")]
    public async Task BadInput_PrintsOneLineAndExitsWith2(string arguments, string expected)
    {
        var (exit, stdout, stderr) = await RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Empty(stdout.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Defect_UnknownName_PrintsOneLineNamingTheKnownDefectsAndExitsWith2()
    {
        var (exit, stdout, stderr) = await RunAsync("--port 0 --defect no-such-defect");

        Assert.Equal(2, exit);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("unknown defect 'no-such-defect'", line, StringComparison.Ordinal);
        Assert.Contains("known: " + string.Join(", ", PaySim.Wallet.Defects.WalletDefects.Names), line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("directory", "is a directory")]
    [InlineData("text-file", "is not a SQLite database")]
    [InlineData("under-a-file", "is a file, not a folder")]
    [InlineData("proc", "cannot be opened for writing")]
    public async Task Db_Unusable_PrintsOneLineNamingTheFlagAndExitsWith2(string kind, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("paysim-wallet-db-").FullName;
        try
        {
            var text = Path.Combine(dir, "notes.txt");
            await File.WriteAllTextAsync(text, "these are not the pages of a SQLite database, just some words long enough to fill a header\n");
            var db = kind switch
            {
                "directory" => dir,
                "text-file" => text,
                "under-a-file" => Path.Combine(text, "wallet.db"),
                _ => "/proc/paysim-wallet.db", // unwritable even for root
            };

            var (exit, stdout, stderr) = await RunAsync($"--port 0 --db {db}");

            Assert.Equal(2, exit);
            Assert.Empty(stdout.Trim());
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains("--db", stderr, StringComparison.Ordinal);
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
            Assert.Equal("these are not the pages", (await File.ReadAllTextAsync(text))[..23]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task PortInUse_PrintsOneLineAndExitsWith2_AndLeavesNoDatabaseBehind()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (exit, stdout, stderr, leftBehind) = await RunWithNewDatabaseAsync($"--port {port}");

        Assert.Equal(2, exit);
        Assert.Empty(stdout.Trim());
        Assert.Equal($"error: wallet-1 cannot listen on 127.0.0.1:{port} (port in use? try --port 0 or another port)", stderr.Trim());
        Assert.Empty(leftBehind);
    }

    // Every port is tried before any instance starts, so wallet-1's issuer health probes never get to log
    // ("Issuer node … is now unhealthy") ahead of the line that says why the start failed.
    [Fact]
    public async Task PortOfALaterInstanceInUse_IsTheOnlyOutput()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var taken = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (exit, stdout, stderr, leftBehind) = await RunWithNewDatabaseAsync($"--port {taken - 1} --instances 2");

        Assert.Equal(2, exit);
        Assert.Empty(stdout.Trim());
        var line = Assert.Single(stderr.Trim().Split('\n'));
        // wallet-1's port is free unless another program happens to hold it.
        Assert.Matches(@"^error: wallet-[12] cannot listen on 127\.0\.0\.1:\d+ \(port in use\? try --port 0 or another port\)$", line);
        Assert.Empty(leftBehind);
    }

    // The fuzzing pass's --config values: each started a wallet that then failed requests with 500 or health rounds with
    // an exception, or crashed the start with a stack trace (exit 3). Now: one line naming the field and its range, exit 2.
    [Theory]
    [InlineData("""{"sessionLifetime":"3650000.00:00:00"}""", "sessionLifetime must be 1 s..365 d (got 3650000.00:00:00)")]
    [InlineData("""{"loginLockout":"3650000.00:00:00","pinLockout":"3650000.00:00:00"}""", "pinLockout must be 1 s..30 d (got 3650000.00:00:00); loginLockout must be 1 s..30 d (got 3650000.00:00:00)")]
    [InlineData("""{"healthCheckTimeout":"10000000.00:00:00"}""", "healthCheckTimeout must be 10 ms..1 h (got 10000000.00:00:00)")]
    [InlineData("""{"attemptTimeout":"00:00:00.001"}""", "attemptTimeout must be 10 ms..24 h (got 00:00:00.0010000)")]
    [InlineData("""{"callTimeout":"10000000.00:00:00"}""", "callTimeout must be 10 ms..24 h (got 10000000.00:00:00)")]
    [InlineData("""{"retryBaseDelay":"2.00:00:00","retryMaxDelay":"2.00:00:00"}""", "retryBaseDelay must be 1 ms..24 h (got 2.00:00:00); retryMaxDelay must be 1 ms..24 h (got 2.00:00:00)")]
    [InlineData("""{"port":7790,"port":7791}""", "field 'port' appears more than once")]
    [InlineData("""{"mode":"resilient","bogus":1}""", "unknown field 'bogus'; docs/wallet.md, Configuration, lists the fields")]
    public async Task Config_AValueOutOfRange_PrintsOneLineNamingTheFieldAndExitsWith2(string json, string expected)
    {
        var config = Path.Combine(Path.GetTempPath(), $"paysim-wallet-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, json);
        try
        {
            var (exit, stdout, stderr, leftBehind) = await RunWithNewDatabaseAsync($"--port 0 --config {config}");

            Assert.Equal(2, exit);
            Assert.Empty(stdout.Trim());
            var line = Assert.Single(stderr.Trim().Split('\n'));
            Assert.StartsWith("error: invalid wallet options: ", line, StringComparison.Ordinal);
            Assert.EndsWith(expected, line, StringComparison.Ordinal);
            Assert.Empty(leftBehind);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Config_ADirectory_SaysItIsADirectory()
    {
        var dir = Directory.CreateTempSubdirectory("paysim-wallet-config-").FullName;
        try
        {
            var (exit, _, stderr) = await RunAsync($"--config {dir}");

            Assert.Equal(2, exit);
            Assert.Equal($"error: invalid wallet options: config file '{dir}' is a directory; give the JSON file, e.g. {Path.Combine(dir, "wallet.json")}", stderr.Trim());
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public async Task BindToAnAddressThisMachineLacks_PrintsOneLineAndExitsWith2_AndLeavesNoDatabaseBehind()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
        var (exit, stdout, stderr, leftBehind) = await RunWithNewDatabaseAsync("--bind 192.0.2.1 --port 0");

        Assert.Equal(2, exit);
        Assert.Empty(stdout.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("error: wallet-1 cannot listen on 192.0.2.1:0 (", stderr.Trim(), StringComparison.Ordinal);
        Assert.Contains("is 192.0.2.1 an address of this machine? try --bind 127.0.0.1", stderr, StringComparison.Ordinal);
        Assert.Empty(leftBehind);
    }

    private static async Task<(int Exit, string Stdout, string Stderr, string[] LeftBehind)> RunWithNewDatabaseAsync(string arguments)
    {
        var db = Path.Combine(Path.GetTempPath(), $"paysim-wallet-cli-{Guid.NewGuid():N}.db");
        var files = new[] { db, db + "-wal", db + "-shm" };
        try
        {
            var (exit, stdout, stderr) = await RunAsync($"{arguments} --db {db}");
            return (exit, stdout, stderr, files.Where(File.Exists).ToArray());
        }
        finally
        {
            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task Help_ListsEveryFlagAndExitsWith0()
    {
        var (exit, stdout, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--instances", "--port", "--bind", "--mode", "--issuer", "--db", "--policy", "--hash-iterations", "--max-connections", "--max-body-bytes", "--login-rate", "--config" })
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_ToAFullDevice_IsOneLineAndExitsWith3()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        var (exit, stderr) = await RunToFullDeviceAsync("--help");

        Assert.Equal(3, exit);
        Assert.Equal("error: could not complete: No space left on device (IOException)", stderr.TrimEnd());
    }

    [Fact]
    public async Task Start_WithItsAnnouncementToAFullDevice_IsUndone_WithTheDatabaseItCreated_ButNotOneThatWasThere()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("paysim-wallet-full-").FullName;
        try
        {
            var db = Path.Combine(dir, "wallet.db");
            var (exit, stderr) = await RunToFullDeviceAsync($"--port 0 --db '{db}'");
            Assert.True(exit == 3, $"exit {exit}: {stderr}");
            // The log goes to stderr too: the health monitor may have warned about the issuer nodes (none run here) first.
            var lines = stderr.TrimEnd().Split('\n');
            Assert.Equal("error: could not complete: No space left on device (IOException)", lines[^1]);
            Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
            Assert.Empty(Directory.GetFiles(dir));

            // A database that was there before the start is the user's: it stays.
            await File.WriteAllBytesAsync(db, []);
            (exit, stderr) = await RunToFullDeviceAsync($"--port 0 --db '{db}'");
            Assert.True(exit == 3, $"exit {exit}: {stderr}");
            Assert.True(File.Exists(db));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The wallet with <paramref name="arguments"/> (shell words) and its stdout on /dev/full.</summary>
    private static async Task<(int Exit, string Stderr)> RunToFullDeviceAsync(string arguments)
    {
        var run = await ChildProcess.RunAsync("bash", ["-c", $"exec dotnet '{WalletProcess.Dll}' {arguments} > /dev/full"], TimeSpan.FromSeconds(60));
        return (run.ExitCode, run.Stderr);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string arguments)
    {
        var run = await ChildProcess.RunAsync(new ProcessStartInfo("dotnet", $"\"{WalletProcess.Dll}\" {arguments}"), TimeSpan.FromSeconds(30));
        return (run.ExitCode, run.Stdout, run.Stderr);
    }
}
