using System.Net;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// Login from a new X-Device-Id: 202 with a challenge and an SMS code to the user's phone; POST /sessions/verify opens the
/// session and trusts the device (on every instance). The registration device, and no header for a user registered
/// without one, log in as before.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DeviceLoginTests
{
    private const string Password = "passw0rd!";

    [Fact]
    public async Task Login_FromANewDevice_AsksForTheSmsCode_ThenTrustsTheDeviceOnEveryInstance()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive, wallet: o => o.Instances = 2);
        using var phoneApp = cluster.Client(0);
        phoneApp.DeviceId = "device-phone";
        const string phone = "13922220001";
        Assert.Equal(HttpStatusCode.Created, (await phoneApp.RegisterAsync(phone)).Status);

        var sameDevice = await phoneApp.PostAsync("/sessions", new { phone, password = Password });
        Assert.Equal(HttpStatusCode.OK, sameDevice.Status);
        Assert.Null(await cluster.ReadSmsAsync(phone, TimeSpan.FromMilliseconds(300)));

        using var tablet = cluster.Client(1);
        tablet.DeviceId = "device-tablet";
        var challenge = await tablet.PostAsync("/sessions", new { phone, password = Password });
        Assert.Equal((HttpStatusCode.Accepted, "device_verification_required", "*******0001", 300L),
            (challenge.Status, challenge.Str("status"), challenge.Str("maskedPhone"), challenge.Long("codeTtlSeconds")));
        Assert.Null(challenge.Str("token"));
        var sms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10));
        Assert.NotNull(sms);
        Assert.Equal(challenge.Str("challengeId"), sms.CorrelationId);

        var verified = await phoneApp.PostAsync("/sessions/verify", new { challengeId = challenge.Str("challengeId"), code = sms.Otp });
        Assert.True(verified.Status == HttpStatusCode.OK, verified.ToString());
        tablet.Token = verified.Str("token");
        Assert.Equal(HttpStatusCode.OK, (await tablet.GetAsync("/cards")).Status);
        var replay = await tablet.PostAsync("/sessions/verify", new { challengeId = challenge.Str("challengeId"), code = sms.Otp });
        Assert.Equal((HttpStatusCode.BadRequest, "device_code_invalid"), (replay.Status, replay.ErrorCode));

        using var tabletOnFirst = cluster.Client(0);
        tabletOnFirst.DeviceId = "device-tablet";
        Assert.Equal(HttpStatusCode.OK, (await tabletOnFirst.PostAsync("/sessions", new { phone, password = Password })).Status);
        using var noHeader = cluster.Client(0);
        Assert.Equal(HttpStatusCode.Accepted, (await noHeader.PostAsync("/sessions", new { phone, password = Password })).Status);
    }

    [Fact]
    public async Task Login_WithoutTheHeader_WorksAsBefore_ForAUserRegisteredWithoutIt()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var app = cluster.Client();
        const string phone = "13922220002";
        await app.RegisterAsync(phone);

        var login = await app.PostAsync("/sessions", new { phone, password = Password });
        var wrong = await app.PostAsync("/sessions", new { phone, password = "wr0ngpassword" });
        app.DeviceId = "new-device";
        var newDevice = await app.PostAsync("/sessions", new { phone, password = Password });
        app.DeviceId = new string('x', 129);
        var tooLong = await app.PostAsync("/sessions", new { phone, password = Password });

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status); // a wrong password never reaches the device check
        Assert.Equal(HttpStatusCode.Accepted, newDevice.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (tooLong.Status, tooLong.ErrorCode));
        Assert.Contains("X-Device-Id", tooLong.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongCodesAreLimited_AndTheCodeExpires_OnTheWalletClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive, wallet: o => o.TimeProvider = time);
        using var app = cluster.Client();
        const string phone = "13922220003";
        await app.RegisterAsync(phone);
        app.DeviceId = "laptop";

        var first = await app.PostAsync("/sessions", new { phone, password = Password });
        var sms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10));
        var wrong = sms!.Otp == "000000" ? "000001" : "000000";
        var lefts = new List<int?>();
        for (var i = 0; i < 3; i++)
        {
            var reply = await app.PostAsync("/sessions/verify", new { challengeId = first.Str("challengeId"), code = wrong });
            Assert.Equal((HttpStatusCode.BadRequest, "device_code_invalid"), (reply.Status, reply.ErrorCode));
            lefts.Add(reply.Json!["error"]!["attemptsLeft"]!.GetValue<int>());
        }

        var rightTooLate = await app.PostAsync("/sessions/verify", new { challengeId = first.Str("challengeId"), code = sms.Otp });
        Assert.Equal([2, 1, 0], lefts);
        Assert.Equal(HttpStatusCode.BadRequest, rightTooLate.Status);

        var second = await app.PostAsync("/sessions", new { phone, password = Password });
        var secondSms = await cluster.ReadSmsAsync(phone, TimeSpan.FromSeconds(10), sms.Sequence);
        time.Advance(TimeSpan.FromMinutes(5));
        var expired = await app.PostAsync("/sessions/verify", new { challengeId = second.Str("challengeId"), code = secondSms!.Otp });
        Assert.Equal((HttpStatusCode.BadRequest, "device_code_invalid"), (expired.Status, expired.ErrorCode));
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostAsync("/sessions", new { phone, password = Password })).Status);
    }
}
