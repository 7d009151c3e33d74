using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Faults.Serving;


namespace PaySim.Simulator.Tests.Faults.Serving;

public sealed class FaultProfilesTests
{
    private static readonly string[] Shipped =
        ["flaky-network", "issuer-brownout", "issuer-outage", "issuer-slow", "node-loss", "sms-late", "sms-lost", "wrong-data"];

    [Fact]
    public void ShippedProfiles_AreTheEightFailureCauses()
    {
        Assert.Equal(Shipped, FaultProfiles.Names());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ShippedProfile_ParsesForAThreeNodeSimulator(string name)
    {
        var set = FaultProfiles.Load(name, FaultRuleContext.ForIssuers(3));

        Assert.NotEmpty(set.Rules);
        Assert.False(string.IsNullOrWhiteSpace(set.Description));
    }

    [Fact]
    public void UnknownProfile_ListsTheShippedOnes()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultProfiles.Load("issuer-on-fire", FaultRuleContext.ForIssuers(3)));

        Assert.Contains("issuer-outage", ex.Message);
    }

    [Fact]
    public void ProfilePath_ThatIsADirectory_SaysSo()
    {
        var dir = Directory.CreateTempSubdirectory("paysim-profile-").FullName;
        try
        {
            var ex = Assert.Throws<FaultRuleException>(() => FaultProfiles.Load(dir + "/", FaultRuleContext.ForIssuers(3)));

            Assert.Contains($"\"{dir}/\" is a directory, not a file", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Fact]
    public void ProfilePath_ThatCannotBeRead_NamesTheProfileAndTheFile()
    {
        // Before, the read's IOException ended the start as "could not complete: … (IOException)", exit 3.
        var ex = Assert.Throws<FaultRuleException>(() => FaultProfiles.Load("/proc/self/mem", FaultRuleContext.ForIssuers(3)));

        Assert.Contains("cannot read the file \"/proc/self/mem\" (Input/output error", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("invalid fault rule: profile: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfilePath_IsRefusedWhenPathsAreNotAllowed()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultProfiles.Load("/etc/passwd.json", FaultRuleContext.ForIssuers(3), allowPaths: false));

        Assert.Equal("profile", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void NodeLoss_OnASingleNodeSimulator_NamesTheProfileAndTheNode()
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultProfiles.Load("node-loss", FaultRuleContext.ForIssuers(1)));

        Assert.Equal("profile node-loss: rules[0].node", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void WrongData_DeclinesAboutThirtyPercentOfBindingsWithMismatchReasons()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply(FaultProfiles.Load("wrong-data", engine.Context));

        var declines = Enumerable.Range(0, 10_000).Select(i => engine.Decide($"issuer-{(i % 3) + 1}", "StartBinding")).Where(d => d.Action == FaultAction.Decline).ToArray();

        Assert.InRange(declines.Length, 2_800, 3_200);
        Assert.All(declines, d => Assert.Equal("05", d.DeclineCode));
        Assert.Equal(3, declines.Select(d => d.DeclineReason).Distinct().Count());
    }

    public static TheoryData<string> Names() => new(Shipped);
}
