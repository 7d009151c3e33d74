namespace PaySim.LoadTests.Running;

/// <summary>One wallet call that failed while the run prepared its users and cards (see <see cref="SetupCallRecorder"/>).</summary>
internal sealed record FailedSetupCall(string Step, int Status, string? Code, string? Message, string? ServedBy, string? Exchange);
