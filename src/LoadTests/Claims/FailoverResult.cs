namespace PaySim.LoadTests.Claims;

/// <summary>
/// What a fault did to users. <see cref="DetectMs"/>: from the fault's start to the first second with
/// errors above the baseline; <see cref="RecoverMs"/>: from that second until the error rate is back to
/// the baseline (for two seconds in a row). Both 0 when the fault never showed; <see cref="Recovered"/>
/// false when the run ended first (then RecoverMs runs to the end of the series).
/// </summary>
internal sealed record FailoverResult(double DetectMs, double RecoverMs, bool Impacted, bool Recovered, double BaselineErrorRate, long ErrorsDuringFault);
