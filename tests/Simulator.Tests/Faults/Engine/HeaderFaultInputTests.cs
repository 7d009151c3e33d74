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

    [Theory]
    [InlineData("x-sim-delay-ms", "soon")]
    [InlineData("x-sim-status", "NOPE")]
    [InlineData("x-sim-fault", "typo")]
    public void A_refused_override_is_not_a_fault_nothing_is_counted_and_the_message_is_not_an_injected_one(string header, string value)
    {
        var engine = FaultTestEngine.Create();

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { header, value } });

        Assert.True(decision.Refused);
        Assert.Equal(0, decision.Injections);
        Assert.StartsWith($"{header} '{value}'", decision.Message);
        Assert.DoesNotContain("injected fault", decision.Message);
        var stats = engine.GetStats();
        Assert.Equal(0, stats.Total);
        Assert.Empty(stats.ByKind("issuer-1"));
    }

    [Fact]
    public void One_bad_override_refuses_the_call_before_a_good_one_forces_its_rule()
    {
        var engine = FaultTestEngine.Create();
        engine.Apply("""{ "name": "demand", "probability": 0, "hang": {} }""");

        var decision = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-fault", "demand" }, { "x-sim-delay-ms", "40" }, { "x-sim-status", "NOPE" } });

        Assert.Equal(StatusCode.InvalidArgument, decision.Status);
        Assert.Equal(FaultAction.Error, decision.Action);
        Assert.Equal(TimeSpan.Zero, decision.Latency);
        Assert.Null(decision.RuleName);
        Assert.Equal(0, engine.GetStats().ByRule()["demand"]);
    }

    [Fact]
    public void A_bad_override_is_refused_even_when_max_active_faults_are_in_flight()
    {
        var engine = FaultTestEngine.Create(maxActiveFaults: 1);
        engine.Apply("""{ "name": "h", "hang": {} }""");
        var holding = engine.Decide("issuer-1", "Authorize");
        Assert.Equal(FaultAction.Hang, holding.Action);

        var refused = engine.Decide("issuer-1", "Authorize", new Metadata { { "x-sim-delay-ms", "-5" } });

        Assert.Equal(StatusCode.InvalidArgument, refused.Status);
        Assert.False(refused.HoldsActiveFault);
        Assert.Equal(0, engine.GetStats().SkippedAtMaxActiveFaults);
        Assert.Equal(1, engine.GetStats().ByRule()["h"]);
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
        Assert.True(missing.Refused);
        Assert.Equal(0, engine.GetStats().Total);
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
