namespace PaySim.LoadEngine;

// Placeholder until the load engine lands (issue 5).
internal static class AssemblyMarker;
