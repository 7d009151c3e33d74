namespace PaySim.LoadTests.Claims;

/// <summary>How the shards of one run merge a figure (<see cref="FigureMerge"/>).</summary>
internal enum FigureMergeKind
{
    /// <summary>Computed again from the merged run: merged histograms and counts, summed binding and wallet counts, the merged wallet census and ledgers.</summary>
    Recompute,

    /// <summary>Each shard counted its own: the shards' values add.</summary>
    Sum,

    /// <summary>The shared simulator's figure: every shard saw the same, so shard 1's stands.</summary>
    Global,

    /// <summary>Not exactly mergeable; the largest shard's value bounds the run's (said in the merged claim).</summary>
    UpperBound,

    /// <summary>Shard 1's value times a factor the merge knows (the shard count, a ratio of counts).</summary>
    Scaled,

    /// <summary>Not mergeable from shard summaries: shard 1's value is reported and the merged claim says so.</summary>
    NotMergeable,
}
