using Grpc.Core;
using PaySim.Simulator.Faults;

namespace PaySim.Simulator.Tests.Faults.Engine;

/// <summary>Malformed x-sim-* values are refused, never ignored; with a control token the overrides need x-sim-token.</summary>
public sealed class HeaderFaultInputTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("600001")]
    [InlineData("99999999999999")]
    public void A_malformed_delay_header_is_invalid_argument_naming_the_header(string value)
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-delay-ms", value } });

        Assert.Equal(FaultAction.Error, decision.Action);
        Assert.Equal(StatusCode.InvalidArgument, decision.Status);
        Assert.Contains("x-sim-delay-ms", decision.Message);
        Assert.Contains("0 to 600000", decision.Message);
        Assert.Equal(TimeSpan.Zero, decision.Latency);
    }

    [Fact]
    public void The_largest_allowed_delay_is_taken_as_is()
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-delay-ms", "600000" } });

        Assert.Equal(TimeSpan.FromMinutes(10), decision.Latency);
        Assert.NotEqual(FaultAction.Error, decision.Action);
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("OK")]
    [InlineData("0")]
    [InlineData("99")]
    public void A_malformed_status_header_is_invalid_argument_listing_the_allowed_statuses(string value)
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-status", value } });

        Assert.Equal(StatusCode.InvalidArgument, decision.Status);
        Assert.Contains("x-sim-status", decision.Message);
        Assert.Contains("UNAVAILABLE", decision.Message);
    }

    [Fact]
    public void A_long_bad_value_is_clipped_in_the_message()
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-status", new string('Z', 10_000) } });

        Assert.Equal(StatusCode.InvalidArgument, decision.Status);
        Assert.True(decision.Message!.Length < 400, decision.Message.Length.ToString());
    }

    [Fact]
    public void With_a_token_overrides_without_x_sim_token_are_permission_denied()
    {
        var engine = FaultTestEngine.Create(headerToken: "s3cret");

        var missing = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-status", "INTERNAL" } });
        var wrong = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-delay-ms", "5" }, { "x-sim-token", "guess" } });

        Assert.Equal(StatusCode.PermissionDenied, missing.Status);
        Assert.Contains("x-sim-token", missing.Message);
        Assert.Equal(StatusCode.PermissionDenied, wrong.Status);
        Assert.Equal(TimeSpan.Zero, wrong.Latency);
    }

    [Fact]
    public void With_the_right_token_overrides_act()
    {
        var engine = FaultTestEngine.Create(headerToken: "s3cret");

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-status", "INTERNAL" }, { "x-sim-token", "s3cret" } });

        Assert.Equal(StatusCode.Internal, decision.Status);
        Assert.Equal("injected fault: x-sim-status", decision.Message);
    }

    [Fact]
    public void With_a_token_a_call_without_overrides_is_untouched()
    {
        var engine = FaultTestEngine.Create(headerToken: "s3cret");

        Assert.True(engine.Decide("issuer-1", "Authorize", new Metadata { { "x-tenant", "qa" } }).IsNone);
    }
}
