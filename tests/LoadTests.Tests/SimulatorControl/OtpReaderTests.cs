using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.SimulatorControl;

/// <summary>
/// The OTP reader's waits end at their deadline, never before: the harness waits out a wallet's retry-after with
/// one of them and asks again the moment it returns, so a wait cut short is a resend that comes too soon.
/// </summary>
public sealed class OtpReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WaitForOtp_WhenTheInboxCannotBeRead_ReturnsNothingOnlyOnceTheWholeWaitHasPassed()
    {
        await using var broken = await BrokenInboxAsync();
        using var reader = new OtpReader(new Uri(FakeHttpServer.UrlOf(broken)));

        var clock = Stopwatch.StartNew();
        var otp = await reader.WaitForOtpAsync("13800000001", Wait, newest: false, sentAfter: null, CancellationToken.None);

        Assert.Null(otp);
        Assert.True(clock.Elapsed >= Wait, $"the wait ended after {clock.Elapsed.TotalMilliseconds} ms, before its {Wait.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task WaitForCode_WhenTheInboxCannotBeRead_ReturnsNothingOnlyOnceTheWholeWaitHasPassed()
    {
        await using var broken = await BrokenInboxAsync();
        using var reader = new OtpReader(new Uri(FakeHttpServer.UrlOf(broken)));

        var clock = Stopwatch.StartNew();
        var otp = await reader.WaitForCodeAsync("13800000001", "challenge-1", Wait, sentAfter: null, CancellationToken.None);

        Assert.Null(otp);
        Assert.True(clock.Elapsed >= Wait, $"the wait ended after {clock.Elapsed.TotalMilliseconds} ms, before its {Wait.TotalMilliseconds} ms");
    }

    /// <summary>Not a gRPC server: every inbox call fails at once.</summary>
    private static Task<WebApplication> BrokenInboxAsync() => FakeHttpServer.StartAsync(app => app.Run(c =>
    {
        c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Task.CompletedTask;
    }));
}
