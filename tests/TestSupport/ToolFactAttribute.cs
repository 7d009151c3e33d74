using Xunit;
using Xunit.Sdk;

namespace PaySim.TestSupport;

/// <summary>
/// A fact that needs programs from outside .NET, e.g. <c>[ToolFact(ExternalTools.RedisServer)]</c>. When one is
/// missing the test is skipped with the reason, except under <c>CI=true</c>, where
/// <see cref="ToolFactDiscoverer"/> turns it into a failure: CI never goes green on tests that did not run.
/// </summary>
[XunitTestCaseDiscoverer("PaySim.TestSupport.ToolFactDiscoverer", "PaySim.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        Tools = tools;
        if (!ExternalTools.InCi && ExternalTools.Missing(tools) is { Count: > 0 } missing)
        {
            Skip = ExternalTools.MissingReason(missing);
        }
    }

    public string[] Tools { get; }
}
