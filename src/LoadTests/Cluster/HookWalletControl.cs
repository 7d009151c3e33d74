using System.Diagnostics;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// An external target's wallet actions: the user's hook commands (<c>--wallet-hook crash='kubectl delete pod {instance}'</c>)
/// run by the shell with the instance's name filled in, bounded by <see cref="HookTimeout"/>.
/// </summary>
internal sealed class HookWalletControl(IReadOnlyDictionary<string, string> hooks) : IWalletInstanceControl
{
    public static readonly TimeSpan HookTimeout = TimeSpan.FromSeconds(60);

    public async Task<WalletActionResult> RunAsync(string instance, string action, CancellationToken cancellationToken)
    {
        if (!hooks.TryGetValue(action, out var template))
        {
            return new WalletActionResult(action, null, $"no {action} hook given (--wallet-hook {action}=...); nothing done");
        }

        var command = WalletHooks.Render(template, instance);
        var info = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe", ["/c", command]) : new ProcessStartInfo("/bin/sh", ["-c", command]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new WalletActionResult(command, null, $"the shell could not start: {ex.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(HookTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new WalletActionResult(command, null, ex is TimeoutException ? $"no exit within {HookTimeout.TotalSeconds:0} s; killed" : "cancelled; killed");
        }

        var output = (await stderr.ConfigureAwait(false)).Trim() is { Length: > 0 } err ? err : (await stdout.ConfigureAwait(false)).Trim();
        return new WalletActionResult(command, process.ExitCode, process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {LastLine(output)}");
    }

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "(no output)";
}
