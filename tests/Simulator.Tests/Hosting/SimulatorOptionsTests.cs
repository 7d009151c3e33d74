using PaySim.Simulator.Hosting;

namespace PaySim.Simulator.Tests.Hosting;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndUseTheDocumentedPorts()
    {
        var o = new SimulatorOptions();
        Assert.Empty(o.Validate());
        Assert.Equal((3, 7101, 7201, 7000, 7001), (o.Nodes, o.IssuerPort, o.SmsPort, o.ControlPort, o.EffectiveControlGrpcPort));
    }

    [Fact]
    public void Validate_ClashingPortsAndBadWeights_AreAllReported()
    {
        var o = new SimulatorOptions
        {
            IssuerPort = 7200,
            Nodes = 3,
            SmsPort = 7201,
            BindAddress = "localhost-ish",
            PersonaWeights = new() { ["healthy"] = -1, ["martian"] = 1 },
        };

        var errors = o.Validate();

        Assert.Contains(errors, e => e.Contains("port 7201 is used twice (issuer-2, --sms-port)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--bind: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unknown persona 'martian'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PersonaWeights['healthy'] must be >= 0", StringComparison.Ordinal));
    }
}
