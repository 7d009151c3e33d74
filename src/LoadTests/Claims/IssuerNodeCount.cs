namespace PaySim.LoadTests.Claims;

/// <summary>One issuer node's calls during the run, as the figures see them: all calls, and those that answer exactly one wallet call (<see cref="FigureCatalog.PrimaryIssuerCalls"/>).</summary>
internal sealed record IssuerNodeCount(string Name, long Requests, long PrimaryCalls);
