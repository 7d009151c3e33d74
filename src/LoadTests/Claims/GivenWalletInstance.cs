namespace PaySim.LoadTests.Claims;

/// <summary>A wallet instance the run was given: its URL and, where the target knows it (embedded), its X-Served-By name.</summary>
internal sealed record GivenWalletInstance(string Url, string? Name);
