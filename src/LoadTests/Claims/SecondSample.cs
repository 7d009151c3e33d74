namespace PaySim.LoadTests.Claims;

/// <summary>One second of a run: iterations that ended ok and failed in [Second, Second+1) s after the start.</summary>
internal readonly record struct SecondSample(int Second, long Ok, long Fail)
{
    public long Count => Ok + Fail;

    public double ErrorRate => Count == 0 ? 0 : (double)Fail / Count;
}
