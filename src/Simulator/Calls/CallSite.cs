namespace PaySim.Simulator.Calls;

/// <summary>Where a call lands: node name (issuer-2, sms), node kind (issuer, sms) and method (Authorize).</summary>
internal readonly record struct CallSite(string Node, string Kind, string Method);
