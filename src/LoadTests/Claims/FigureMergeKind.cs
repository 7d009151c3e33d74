namespace PaySim.LoadTests.Claims;

/// <summary>How the shards of one run merge a figure (<see cref="FigureMerge"/>).</summary>
internal enum FigureMergeKind
{
    /// <summary>Computed again from the merged run: merged histograms and counts, summed binding and wallet counts, the merged wallet census and ledgers.</summary>
    Recompute,

    /// <summary>Each shard counted its own: the shards' values add.</summary>
    Sum,

    /// <summary>
    /// The shared simulator's figure: each shard measured it over its own window (before/after deltas of the simulator's
    /// counters), which spans the other shards' calls when they run side by side. Shard 1's stands, or the worst shard's
    /// for a figure that says which way is worse (<see cref="FigureMerge.GlobalWorst"/>); a merged claim on it fails when
    /// any shard's value fails it, since a shard whose window started late or ended late saw calls shard 1's did not.
    /// </summary>
    Global,

    /// <summary>Not exactly mergeable; the largest shard's value bounds the run's (said in the merged claim).</summary>
    UpperBound,

    /// <summary>Shard 1's value times a factor the merge knows (the shard count, a ratio of counts).</summary>
    Scaled,

    /// <summary>Not mergeable from shard summaries: shard 1's value is reported and the merged claim says so.</summary>
    NotMergeable,
}
