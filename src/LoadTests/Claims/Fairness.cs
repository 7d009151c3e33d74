namespace PaySim.LoadTests.Claims;

/// <summary>How evenly load is spread over nodes or instances.</summary>
internal static class Fairness
{
    /// <summary>
    /// Jain's index (Σx)² / (n·Σx²): 1 when every member takes the same share, 1/n when one takes
    /// everything. NaN when nothing was counted, so a claim about it fails rather than passes.
    /// </summary>
    public static double Jain(IReadOnlyCollection<long> counts)
    {
        if (counts.Count == 0)
        {
            return double.NaN;
        }

        double sum = 0, squares = 0;
        foreach (var c in counts)
        {
            sum += c;
            squares += (double)c * c;
        }

        return squares == 0 ? double.NaN : sum * sum / (counts.Count * squares);
    }

    /// <summary>The largest member's share of the total (1/n at best); NaN when nothing was counted.</summary>
    public static double MaxShare(IReadOnlyCollection<long> counts)
    {
        var sum = counts.Sum();
        return sum == 0 ? double.NaN : (double)counts.Max() / sum;
    }
}
