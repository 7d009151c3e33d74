namespace PaySim.LoadTests.Claims;

/// <summary>
/// One wallet instance in the fairness figures: its name (X-Served-By, or the URL of a given instance that never
/// named itself), its replies during the run, whether it ever answered, and the URLs its replies came through (when known).
/// </summary>
internal sealed record WalletInstanceCount(string Name, long Replies, bool Answered, IReadOnlyList<string> Urls);
