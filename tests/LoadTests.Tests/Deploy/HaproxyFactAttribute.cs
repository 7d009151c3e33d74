namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>A fact that is skipped, with the reason shown, when haproxy is not on PATH (xunit v2 has no dynamic skip).</summary>
public sealed class HaproxyFactAttribute : FactAttribute
{
    public HaproxyFactAttribute()
    {
        if (RepoPaths.FindOnPath("haproxy") is null)
        {
            Skip = "haproxy is not installed (scripts/install-deps.sh installs it)";
        }
    }
}
