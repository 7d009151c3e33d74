using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Cluster;

/// <summary>The embedded target's wallet actions: signals to the instances' child processes and a restart on the same port.</summary>
internal sealed class ProcessWalletControl(IReadOnlyList<WalletProcess> wallets) : IWalletInstanceControl
{
    public async Task<WalletActionResult> RunAsync(string instance, string action, CancellationToken cancellationToken)
    {
        var wallet = wallets.FirstOrDefault(w => w.Name == instance);
        if (wallet is null)
        {
            return new WalletActionResult(action, null, $"no wallet instance \"{instance}\"; allowed: {KnownNames.List(wallets.Select(w => w.Name))}");
        }

        try
        {
            var done = action switch
            {
                WalletHooks.Crash => await wallet.KillAsync().ConfigureAwait(false),
                WalletHooks.Restart => await wallet.RestartAsync(cancellationToken).ConfigureAwait(false),
                WalletHooks.Freeze => wallet.Freeze(),
                WalletHooks.Thaw => wallet.Thaw(),
                _ => throw new InvalidOperationException($"unknown wallet action \"{action}\""),
            };
            return new WalletActionResult(done, null, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or PlatformNotSupportedException or System.ComponentModel.Win32Exception)
        {
            return new WalletActionResult(action, null, ex.Message);
        }
    }
}
