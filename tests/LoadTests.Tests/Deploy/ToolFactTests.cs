using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// The one rule for tests that need haproxy or redis-server (tests/TestSupport): skipped with the reason
/// locally, a failing test under CI=true, so CI cannot go green on tests that did not run.
/// </summary>
[Collection(nameof(ToolFactTests))]
[CollectionDefinition(nameof(ToolFactTests), DisableParallelization = true)]
public sealed class ToolFactTests
{
    private const string Missing = "paysim-no-such-tool";

    [Fact]
    public void MissingTool_Locally_SkipsWithTheReason()
    {
        var attribute = WithCi(null, () => new ToolFactAttribute(Missing));

        Assert.Equal($"[needs-tool] {Missing} not on PATH (scripts/install-deps.sh installs it)", attribute.Skip);
    }

    [Fact]
    public void MissingTool_UnderCi_IsNeverSkipped_ButDiscoveredAsAFailingTest()
    {
        var (skip, cases) = WithCi("true", () => (new ToolFactAttribute(Missing).Skip, Discover(nameof(Samples.NeedsAMissingTool))));

        Assert.Null(skip);
        var failing = Assert.IsType<ExecutionErrorTestCase>(Assert.Single(cases));
        Assert.Contains($"CI=true and this test needs a program that is missing: [needs-tool] {Missing}", failing.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void PresentTool_UnderCi_IsAnOrdinaryFact()
    {
        var cases = WithCi("true", () => Discover(nameof(Samples.NeedsAPresentTool)));

        var fact = Assert.Single(cases);
        Assert.IsNotType<ExecutionErrorTestCase>(fact);
        Assert.Null(fact.SkipReason);
    }

    [Fact]
    public void Readme_CountsTheToolTests_AsTheSourcesHaveThem()
    {
        var root = FolderCycleFinder.RepositoryRoot();
        var attributes = Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}TestSupport{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(nameof(ToolFactTests) + ".cs", StringComparison.Ordinal))
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), @"\[ToolFact\(([^\]]*)\)\]").Select(m => m.Groups[1].Value))
            .ToList();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));

        Assert.Contains($"# every test ({attributes.Count} skip without", readme, StringComparison.Ordinal);
        Assert.Contains($"cannot run: {attributes.Count} tests drive programs from outside .NET, {attributes.Count(a => a.Contains("RedisServer", StringComparison.Ordinal))} `redis-server`", readme, StringComparison.Ordinal);
        Assert.Contains($"skips those {attributes.Count} with the reason", readme, StringComparison.Ordinal);
    }

    private static IReadOnlyList<IXunitTestCase> Discover(string method)
    {
        var info = typeof(Samples).GetMethod(method)!;
        var assembly = new TestAssembly(new ReflectionAssemblyInfo(typeof(Samples).Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, "tools"), new ReflectionTypeInfo(typeof(Samples)));
        var attribute = new ReflectionAttributeInfo(info.GetCustomAttributesData().Single(a => a.AttributeType == typeof(ToolFactAttribute)));
        return new ToolFactDiscoverer(new NullMessageSink()).Discover(new DefaultOptions(), new TestMethod(testClass, new ReflectionMethodInfo(info)), attribute).ToList();
    }

    private static T WithCi<T>(string? value, Func<T> action)
    {
        var saved = Environment.GetEnvironmentVariable("CI");
        Environment.SetEnvironmentVariable("CI", value);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("CI", saved);
        }
    }

    /// <summary>Discovered by hand above and never run: xunit does not look into private classes.</summary>
#pragma warning disable xUnit1000 // private on purpose, see above
    private sealed class Samples
#pragma warning restore xUnit1000
    {
        [ToolFact(Missing)]
        public void NeedsAMissingTool()
        {
        }

        [ToolFact("sh")]
        public void NeedsAPresentTool()
        {
        }
    }

    /// <summary>Discovery options with every value left at its default, as a runner without settings passes them.</summary>
    private sealed class DefaultOptions : ITestFrameworkDiscoveryOptions
    {
        public TValue GetValue<TValue>(string name) => default!;

        public void SetValue<TValue>(string name, TValue value)
        {
        }
    }
}
