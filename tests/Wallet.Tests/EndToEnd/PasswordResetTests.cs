using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// POST /password-resets and /password-resets/confirm against a real simulator's SMS gateway: the code arrives by SMS,
/// sets the new password and ends every session; it expires (fake clock) and allows a limited number of wrong codes;
/// an unknown phone gets the same answers as a registered one.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PasswordResetTests
{
    private const string NewPassword = "n3wPassword";

    [Fact]
    public async Task Reset_CodeBySms_SetsTheNewPassword_AndEndsEverySession()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o => o.Instances = 2);
        using var user = cluster.Client(0);
        const string phone = "13911110001";
        await user.RegisterAsync(phone);
        using var other = cluster.Client(1);
        var otherLogin = await other.PostAsync("/sessions", new { phone, password = "passw0rd!" });
        other.Token = otherLogin.Str("token");
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/cards")).Status);

        var start = await user.PostAsync("/password-resets", new { phone });
        Assert.Equal((HttpStatusCode.Accepted, "code_sent", 300L), (start.Status, start.Str("status"), start.Long("codeTtlSeconds")));
        var sms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10));
        Assert.NotNull(sms);
        Assert.Equal(("PaySim Wallet", "password-reset"), (sms.Sender, sms.CorrelationId));
        Assert.Matches("^[0-9]{6}$", sms.Otp);

        var confirm = await other.PostAsync("/password-resets/confirm", new { phone, code = sms.Otp, newPassword = NewPassword });

        Assert.True(confirm.Status == HttpStatusCode.OK, confirm.ToString());
        Assert.Equal("password_reset", confirm.Str("status"));
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), ((await user.GetAsync("/cards")).Status, (await user.GetAsync("/cards")).ErrorCode));
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/cards")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.PostAsync("/sessions", new { phone, password = "passw0rd!" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync("/sessions", new { phone, password = NewPassword })).Status);
        var again = await user.PostAsync("/password-resets/confirm", new { phone, code = sms.Otp, newPassword = "an0therPass" });
        Assert.Equal((HttpStatusCode.BadRequest, "reset_code_invalid"), (again.Status, again.ErrorCode));
    }

    [Fact]
    public async Task Reset_WrongCodes_AreLimited_ThenEvenTheRightCodeIsRefused()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var user = cluster.Client();
        const string phone = "13911110002";
        await user.RegisterAsync(phone);
        await user.PostAsync("/password-resets", new { phone });
        var sms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10));
        var wrong = sms!.Otp == "000000" ? "000001" : "000000";

        var first = await user.PostAsync("/password-resets/confirm", new { phone, code = wrong, newPassword = NewPassword });
        var second = await user.PostAsync("/password-resets/confirm", new { phone, code = wrong, newPassword = NewPassword });
        var third = await user.PostAsync("/password-resets/confirm", new { phone, code = wrong, newPassword = NewPassword });
        var right = await user.PostAsync("/password-resets/confirm", new { phone, code = sms.Otp, newPassword = NewPassword });

        Assert.Equal((HttpStatusCode.BadRequest, "reset_code_invalid", 2), (first.Status, first.ErrorCode, AttemptsLeft(first)));
        Assert.Equal(1, AttemptsLeft(second));
        Assert.Equal(0, AttemptsLeft(third));
        Assert.Equal((HttpStatusCode.BadRequest, "reset_code_invalid", 0), (right.Status, right.ErrorCode, AttemptsLeft(right)));
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync("/sessions", new { phone, password = "passw0rd!" })).Status);
    }

    [Fact]
    public async Task Reset_CodeExpires_OnTheWalletClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive, wallet: o => o.TimeProvider = time);
        using var user = cluster.Client();
        const string phone = "13911110003";
        await user.RegisterAsync(phone);
        await user.PostAsync("/password-resets", new { phone });
        var sms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromMinutes(5));
        var late = await user.PostAsync("/password-resets/confirm", new { phone, code = sms!.Otp, newPassword = NewPassword });

        Assert.Equal((HttpStatusCode.BadRequest, "reset_code_invalid", 0), (late.Status, late.ErrorCode, AttemptsLeft(late)));
        await user.PostAsync("/password-resets", new { phone });
        var fresh = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10), sms.Sequence);
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var inTime = await user.PostAsync("/password-resets/confirm", new { phone, code = fresh!.Otp, newPassword = NewPassword });
        Assert.True(inTime.Status == HttpStatusCode.OK, inTime.ToString());
    }

    [Fact]
    public async Task Reset_UnknownPhone_GetsTheSameAnswers_AfterTheSameWork_AndNoSms()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var client = cluster.Client();
        const string known = "13911110004";
        const string unknown = "13911110005";
        await client.RegisterAsync(known);

        var startKnown = await client.PostAsync("/password-resets", new { phone = known });
        var startUnknown = await client.PostAsync("/password-resets", new { phone = unknown });
        Assert.Equal((startKnown.Status, startKnown.Text), (startUnknown.Status, startUnknown.Text));

        // The unknown phone's reset is as real as the known one's: a stored code whose wrong guesses count the same way.
        foreach (var left in new[] { "2", "1" })
        {
            var wrongKnown = await client.PostAsync("/password-resets/confirm", new { phone = known, code = "999999", newPassword = NewPassword });
            var wrongUnknown = await client.PostAsync("/password-resets/confirm", new { phone = unknown, code = "999999", newPassword = NewPassword });
            Assert.Equal((wrongKnown.Status, wrongKnown.Text), (wrongUnknown.Status, wrongUnknown.Text));
            Assert.Contains($"\"attemptsLeft\":{left}", wrongUnknown.Text, StringComparison.Ordinal);
        }

        Assert.NotNull(await cluster.ReadSmsAsync(known, TimeSpan.FromSeconds(10)));
        Assert.Null(await cluster.ReadSmsAsync(unknown, TimeSpan.FromMilliseconds(500)));

        // Timing: the reply never waits for the SMS, so the two paths take about as long (median of 15 each: neither more than twice the other + 30 ms).
        var knownMs = await MedianMsAsync(() => client.PostAsync("/password-resets", new { phone = known }));
        var unknownMs = await MedianMsAsync(() => client.PostAsync("/password-resets", new { phone = unknown }));
        Assert.True(Math.Max(knownMs, unknownMs) <= (2 * Math.Min(knownMs, unknownMs)) + 30, $"known {knownMs:F1} ms, unknown {unknownMs:F1} ms");
    }

    [Fact]
    public async Task Reset_BadBodies_AreRefusedNamingTheField()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var client = cluster.Client();

        var badPhone = await client.PostAsync("/password-resets", new { phone = "12" });
        var badCode = await client.PostAsync("/password-resets/confirm", new { phone = "13911110006", code = "12ab", newPassword = NewPassword });
        var weak = await client.PostAsync("/password-resets/confirm", new { phone = "13911110006", code = "123456", newPassword = "short" });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (badPhone.Status, badPhone.ErrorCode));
        Assert.Contains("phone", badPhone.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (badCode.Status, badCode.ErrorCode));
        Assert.Contains("code must be the 6-digit code", badCode.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "weak_password"), (weak.Status, weak.ErrorCode));
        Assert.Contains("newPassword", weak.Text, StringComparison.Ordinal);
    }

    private static int AttemptsLeft(WalletClient.Reply reply) => reply.Json!["error"]!["attemptsLeft"]!.GetValue<int>();

    private static async Task<double> MedianMsAsync(Func<Task<WalletClient.Reply>> call)
    {
        var times = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Accepted, (await call()).Status);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
