namespace PaySim.LoadTests.Claims;

/// <summary>What a merge rule sees: every shard's figures (summary.json "figures", shard 1 first) and wallet calls, and the merged run.</summary>
internal sealed record FigureShards(
    int Count,
    IReadOnlyList<IReadOnlyDictionary<string, double?>> Figures,
    IReadOnlyList<IReadOnlyDictionary<string, long>> WalletCalls,
    FigureRun Merged);
