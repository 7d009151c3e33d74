namespace PaySim.LoadTests.Plans;

/// <summary>The embedded wallet's integration style, as written in plans and on the command line.</summary>
internal static class WalletModeName
{
    public const string Naive = "naive";
    public const string Resilient = "resilient";

    public static readonly IReadOnlyList<string> All = [Naive, Resilient];
}
