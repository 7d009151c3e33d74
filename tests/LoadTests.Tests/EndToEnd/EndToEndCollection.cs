namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>Full runs share two cores with everything else: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end runs";
}
