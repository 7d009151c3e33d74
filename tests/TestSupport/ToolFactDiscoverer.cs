using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaySim.TestSupport;

/// <summary>
/// Discovers a <see cref="ToolFactAttribute"/> test as a plain fact, or, under <c>CI=true</c> with a tool
/// missing, as a test that fails with the reason (xunit v2 has no other way to fail a test from its attribute).
/// </summary>
public sealed class ToolFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _fact = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var missing = ExternalTools.Missing(factAttribute.GetNamedArgument<string[]>(nameof(ToolFactAttribute.Tools)) ?? []);
        if (missing.Count > 0 && ExternalTools.InCi)
        {
            return
            [
                new ExecutionErrorTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod,
                    $"CI=true and this test needs a program that is missing: {ExternalTools.MissingReason(missing)}. Tests that need tools fail in CI; they never skip."),
            ];
        }

        return _fact.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
