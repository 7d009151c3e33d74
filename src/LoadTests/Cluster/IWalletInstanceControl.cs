namespace PaySim.LoadTests.Cluster;

/// <summary>Fails and restores wallet instances by name for the fault timeline: crash, restart, freeze, thaw (<see cref="Plans.WalletHooks"/>).</summary>
internal interface IWalletInstanceControl
{
    /// <summary>Does <paramref name="action"/> to <paramref name="instance"/>; never throws for a failed action, the result says what went wrong.</summary>
    Task<WalletActionResult> RunAsync(string instance, string action, CancellationToken cancellationToken);
}
