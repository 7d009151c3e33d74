using System.Runtime.InteropServices;
using System.Text.Json;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// The hidden verb a wallet child process runs: <c>wallet-instance --options JSON</c> hosts one wallet instance,
/// prints <see cref="ReadyPrefix"/> NAME URI when it listens, and serves until its parent goes away: the parent
/// holds the child's stdin open, so end-of-file on stdin means the parent exited, however it died (SIGKILL included).
/// </summary>
internal static class WalletInstanceCommand
{
    public const string Verb = "wallet-instance";
    public const string ReadyPrefix = "paysim-wallet-ready ";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2 || args[0] != "--options")
        {
            await stderr.WriteLineAsync($"{Verb}: usage: {Verb} --options JSON (started by `run` for the embedded target, not by hand)").ConfigureAwait(false);
            return 2;
        }

        WalletOptions options;
        try
        {
            options = WalletProcessOptions.Read(args[1]);
        }
        catch (JsonException ex)
        {
            await stderr.WriteLineAsync($"{Verb}: --options: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        // Ctrl+C in a terminal reaches the whole process group; the parent decides when instances stop
        // (it still needs them to reconcile an interrupted run), so SIGINT is ignored here.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => ctx.Cancel = true);
        var parentGone = WatchParentAsync(stop);
        WalletHost started;
        try
        {
            started = await WalletHost.StartAsync(options, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or WalletOptionsException)
        {
            await stderr.WriteLineAsync($"{Verb}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (var host = started)
        {
            var instance = host.Instances[0];
            await stdout.WriteLineAsync($"{ReadyPrefix}{instance.Name} {instance.Uri}").ConfigureAwait(false);
            await stdout.FlushAsync().ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The parent went away or asked us to stop: drain and leave.
            }
        }

        await parentGone.ConfigureAwait(false);
        return 0;
    }

    private static Task WatchParentAsync(CancellationTokenSource stop) => Task.Run(async () =>
    {
        var buffer = new byte[64];
        await using var stdin = Console.OpenStandardInput();
        try
        {
            while (await stdin.ReadAsync(buffer, stop.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (IOException)
        {
            // A broken pipe is the parent going away too.
        }

        await stop.CancelAsync().ConfigureAwait(false);
    });
}
