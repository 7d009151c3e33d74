using System.Net;
using Grpc.Net.Client;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Payments;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// SMS step-up at checkout (issue 19): above the issuer's threshold Authorize answers 1A; the wallet answers 202 with
/// the challenge, and <c>POST /payments/{id}/authenticate</c> with the code from the SMS completes the payment.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StepUpPaymentTests
{
    private const long Threshold = 10_000;
    private const long Big = 12_345;

    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task Above_the_threshold_pay_answers_202_with_the_challenge_and_the_sms_code_completes_it_capturing_once(WalletMode mode)
    {
        await using var cluster = await StartAsync(mode);
        var (user, card) = await BoundUserAsync(cluster);
        var after = await LastSequenceAsync(cluster, card.Phone);

        var paid = await Cluster.PayAsync(user, Big, "order-s1", "step-1");

        Assert.True(paid.Status == HttpStatusCode.Accepted, paid.ToString());
        Assert.Equal(("pending_authentication", Big), (paid.Str("status"), paid.Long("amount")));
        var challenge = paid.Json!["challenge"]!;
        Assert.StartsWith("chl_", challenge["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sms", challenge["channel"]!.GetValue<string>());
        Assert.EndsWith(card.Phone[^4..], challenge["maskedPhone"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(challenge["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
        Assert.Equal(0, cluster.Simulator.GetInvariants().HeldMinor);

        var replay = await Cluster.PayAsync(user, Big, "order-s1", "step-1");
        Assert.Equal((HttpStatusCode.Accepted, true, paid.Str("paymentId")), (replay.Status, replay.Replayed, replay.Str("paymentId")));
        Assert.Equal(challenge["id"]!.GetValue<string>(), replay.Json!["challenge"]!["id"]!.GetValue<string>());
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());

        var sms = await ReadCodeAsync(cluster, card.Phone, after);
        Assert.Equal(challenge["id"]!.GetValue<string>(), sms.CorrelationId);
        var done = await user.PostAsync($"/payments/{paid.Str("paymentId")}/authenticate", new { otp = sms.Otp });

        Assert.True(done.Status == HttpStatusCode.Created, done.ToString());
        Assert.Equal(("completed", paid.Str("paymentId")), (done.Str("status"), done.Str("paymentId")));
        Assert.StartsWith("auth_", done.Str("authorizationId"), StringComparison.Ordinal);
        Assert.Null(done.Json!["challenge"]);

        var again = await user.PostAsync($"/payments/{paid.Str("paymentId")}/authenticate", new { otp = sms.Otp });
        Assert.Equal((HttpStatusCode.OK, true, "completed", done.Str("authorizationId")), (again.Status, again.Replayed, again.Str("status"), again.Str("authorizationId")));
        var payAgain = await Cluster.PayAsync(user, Big, "order-s1", "step-1");
        Assert.Equal((HttpStatusCode.OK, "completed"), (payAgain.Status, payAgain.Str("status")));

        AssertMoney(cluster, held: 0, captured: Big);
        Assert.Equal(1, cluster.CallsPerNode("Capture").Values.Sum());
        Assert.Equal(1, cluster.CallsPerNode("Authorize").Values.Sum());
    }

    [Fact]
    public async Task A_wrong_code_names_the_attempts_left_and_keeps_the_challenge_and_three_wrong_codes_decline_it()
    {
        await using var cluster = await StartAsync(WalletMode.Resilient);
        var (user, card) = await BoundUserAsync(cluster);
        var after = await LastSequenceAsync(cluster, card.Phone);
        var first = await Cluster.PayAsync(user, Big, "order-w1", "wrong-1");
        var code = (await ReadCodeAsync(cluster, card.Phone, after)).Otp;

        var wrong = await user.PostAsync($"/payments/{first.Str("paymentId")}/authenticate", new { otp = Wrong(code) });
        Assert.Equal((HttpStatusCode.PaymentRequired, "otp_wrong", 2), (wrong.Status, wrong.ErrorCode, wrong.Json!["error"]!["attemptsLeft"]!.GetValue<int>()));
        Assert.Equal("pending_authentication", (await user.GetAsync($"/payments/{first.Str("paymentId")}")).Str("status"));
        var right = await user.PostAsync($"/payments/{first.Str("paymentId")}/authenticate", new { otp = code });
        Assert.Equal((HttpStatusCode.Created, "completed"), (right.Status, right.Str("status")));

        after = await LastSequenceAsync(cluster, card.Phone);
        var second = await Cluster.PayAsync(user, Big + 1, "order-w2", "wrong-2");
        var code2 = (await ReadCodeAsync(cluster, card.Phone, after)).Otp;
        for (var i = 0; i < 2; i++)
        {
            var miss = await user.PostAsync($"/payments/{second.Str("paymentId")}/authenticate", new { otp = Wrong(code2, i) });
            Assert.Equal((HttpStatusCode.PaymentRequired, "otp_wrong"), (miss.Status, miss.ErrorCode));
        }

        var last = await user.PostAsync($"/payments/{second.Str("paymentId")}/authenticate", new { otp = Wrong(code2, 2) });
        Assert.Equal((HttpStatusCode.PaymentRequired, "otp_attempts_exceeded"), (last.Status, last.ErrorCode));
        Assert.Equal("declined", (await user.GetAsync($"/payments/{second.Str("paymentId")}")).Str("status"));
        var tooLate = await user.PostAsync($"/payments/{second.Str("paymentId")}/authenticate", new { otp = code2 });
        Assert.Equal((HttpStatusCode.PaymentRequired, "otp_attempts_exceeded"), (tooLate.Status, tooLate.ErrorCode));
        AssertMoney(cluster, held: 0, captured: Big);
    }

    [Fact]
    public async Task An_expired_code_answers_410_challenge_expired_and_a_resend_gives_a_code_that_completes_the_payment()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await StartAsync(WalletMode.Resilient, sim => sim.TimeProvider = time);
        var (user, card) = await BoundUserAsync(cluster);
        var after = await LastSequenceAsync(cluster, card.Phone);
        var paid = await Cluster.PayAsync(user, Big, "order-e1", "expire-1");
        var first = await ReadCodeAsync(cluster, card.Phone, after);

        time.Advance(TimeSpan.FromMinutes(5));
        var late = await user.PostAsync($"/payments/{paid.Str("paymentId")}/authenticate", new { otp = first.Otp });

        Assert.Equal((HttpStatusCode.Gone, "challenge_expired"), (late.Status, late.ErrorCode));
        Assert.Equal("pending_authentication", (await user.GetAsync($"/payments/{paid.Str("paymentId")}")).Str("status"));
        Assert.Equal(0, cluster.Simulator.GetInvariants().HeldMinor);

        var resend = await user.PostAsync($"/payments/{paid.Str("paymentId")}/resend");
        Assert.True(resend.Status == HttpStatusCode.Accepted, resend.ToString());
        Assert.Equal(("otp_resent", paid.Str("paymentId")), (resend.Str("status"), resend.Str("paymentId")));
        var fresh = await ReadCodeAsync(cluster, card.Phone, first.Sequence);
        var done = await user.PostAsync($"/payments/{paid.Str("paymentId")}/authenticate", new { otp = fresh.Otp });
        Assert.Equal((HttpStatusCode.Created, "completed"), (done.Status, done.Str("status")));
        AssertMoney(cluster, held: 0, captured: Big);

        var resendAfter = await user.PostAsync($"/payments/{paid.Str("paymentId")}/resend");
        Assert.Equal((HttpStatusCode.Conflict, "payment_not_challenged"), (resendAfter.Status, resendAfter.ErrorCode));
    }

    [Fact]
    public async Task Resend_too_soon_on_a_naive_wallet_answers_429_with_retry_after()
    {
        await using var cluster = await StartAsync(WalletMode.Naive, sim => sim.ResendCooldown = TimeSpan.FromMinutes(1));
        var (user, card) = await BoundUserAsync(cluster);
        var after = await LastSequenceAsync(cluster, card.Phone);
        var paid = await Cluster.PayAsync(user, Big, "order-r1", "resend-1");
        await ReadCodeAsync(cluster, card.Phone, after);

        var resend = await user.PostAsync($"/payments/{paid.Str("paymentId")}/resend");

        Assert.Equal((HttpStatusCode.TooManyRequests, "resend_too_soon"), (resend.Status, resend.ErrorCode));
        Assert.True(resend.Json!["error"]!["retryAfterMs"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Unknown_payments_payments_of_another_user_bad_bodies_and_unchallenged_payments_are_refused()
    {
        await using var cluster = await StartAsync(WalletMode.Resilient);
        var (user, _) = await BoundUserAsync(cluster);
        var (other, _) = await BoundUserAsync(cluster);
        var challenged = await Cluster.PayAsync(user, Big, "order-b1", "bad-1");
        var small = await Cluster.PayAsync(user, 500, "order-b2", "bad-2");
        Assert.Equal(HttpStatusCode.Created, small.Status);
        var id = challenged.Str("paymentId");

        var unknown = await user.PostAsync("/payments/p_nope/authenticate", new { otp = "123456" });
        var notMine = await other.PostAsync($"/payments/{id}/authenticate", new { otp = "123456" });
        var notMineResend = await other.PostAsync($"/payments/{id}/resend");
        Assert.Equal((HttpStatusCode.NotFound, "payment_not_found"), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "payment_not_found"), (notMine.Status, notMine.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "payment_not_found"), (notMineResend.Status, notMineResend.ErrorCode));

        var missing = await user.PostAsync($"/payments/{id}/authenticate", new { });
        var letters = await user.PostAsync($"/payments/{id}/authenticate", new { otp = "12ab56" });
        var extra = await user.PostAsync($"/payments/{id}/authenticate", new { otp = "123456", code = "123456" });
        var empty = await user.PostAsync($"/payments/{id}/authenticate");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (missing.Status, missing.ErrorCode));
        Assert.Contains("otp", missing.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (letters.Status, letters.ErrorCode));
        Assert.Contains("otp", letters.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (extra.Status, extra.ErrorCode));
        Assert.Contains("unknown field 'code'", extra.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (empty.Status, empty.ErrorCode));

        var plain = await user.PostAsync($"/payments/{small.Str("paymentId")}/authenticate", new { otp = "123456" });
        Assert.Equal((HttpStatusCode.Conflict, "payment_not_challenged"), (plain.Status, plain.ErrorCode));
        Assert.Equal("pending_authentication", (await user.GetAsync($"/payments/{id}")).Str("status"));
        Assert.Equal(0, cluster.CallsPerNode("AuthenticatePayment").Values.Sum());
    }

    [Fact]
    public async Task A_challenge_nobody_completes_is_closed_as_expired_by_the_recovery_pass_and_a_replay_gets_that_answer()
    {
        await using var cluster = await StartAsync(WalletMode.Resilient);
        var (user, _) = await BoundUserAsync(cluster);
        var paid = await Cluster.PayAsync(user, Big, "order-x1", "lapse-1");
        var id = paid.Str("paymentId")!;
        var recovery = cluster.Wallet.RunningInstances[0].Recovery!;

        Assert.Equal(new PaymentRecovery.PassResult(0, 0), await recovery.RunOnceAsync(CancellationToken.None));
        await AgeChallengeAsync(cluster, id, otp: null);
        var pass = await recovery.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PaymentRecovery.PassResult(1, 1), pass);
        var stored = await Payments(cluster).GetAsync(id, CancellationToken.None);
        Assert.Equal((PaymentStatus.Expired, "challenge_expired"), (stored!.Status, stored.ErrorCode));
        var replay = await Cluster.PayAsync(user, Big, "order-x1", "lapse-1");
        Assert.Equal((HttpStatusCode.Gone, "challenge_expired"), (replay.Status, replay.ErrorCode));
        var authenticate = await user.PostAsync($"/payments/{id}/authenticate", new { otp = "123456" });
        Assert.Equal((HttpStatusCode.Gone, "challenge_expired"), (authenticate.Status, authenticate.ErrorCode));
        Assert.Equal(0, cluster.CallsPerNode("AuthenticatePayment").Values.Sum());
        AssertMoney(cluster, held: 0, captured: 0);
    }

    [Fact]
    public async Task An_authentication_cut_short_after_the_issuer_held_the_money_is_released_by_the_recovery_pass()
    {
        await using var cluster = await StartAsync(WalletMode.Resilient);
        var (user, card) = await BoundUserAsync(cluster);
        var after = await LastSequenceAsync(cluster, card.Phone);
        var paid = await Cluster.PayAsync(user, Big, "order-c1", "cut-1");
        var id = paid.Str("paymentId")!;
        var code = (await ReadCodeAsync(cluster, card.Phone, after)).Otp;

        // The wallet process sent the code and died before it heard the issuer's approval.
        using (var channel = GrpcChannel.ForAddress(cluster.Simulator.IssuerNodes[0].Uri))
        {
            var held = await new Issuer.IssuerClient(channel).AuthenticatePaymentAsync(
                new AuthenticatePaymentRequest { ChallengeId = paid.Json!["challenge"]!["id"]!.GetValue<string>(), Otp = code });
            Assert.Equal("00", held.ResponseCode);
        }

        await AgeChallengeAsync(cluster, id, otp: code, status: PaymentStatus.Pending);
        Assert.Equal(Big, cluster.Simulator.GetInvariants().HeldMinor);

        var pass = await cluster.Wallet.RunningInstances[0].Recovery!.RunOnceAsync(CancellationToken.None);

        Assert.Equal(new PaymentRecovery.PassResult(1, 1), pass);
        Assert.Equal(PaymentStatus.Voided, (await Payments(cluster).GetAsync(id, CancellationToken.None))!.Status);
        AssertMoney(cluster, held: 0, captured: 0);
    }

    private static async Task<Cluster> StartAsync(WalletMode mode, Action<SimulatorOptions>? simulator = null)
    {
        var cluster = await Cluster.StartAsync(mode, simulator, wallet: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.CallTimeout = TimeSpan.FromSeconds(1);
            // The tests run the recovery pass themselves.
            o.RecoveryInterval = TimeSpan.FromHours(1);
        });
        cluster.Simulator.ApplyRisk("{\"stepUp\": {\"aboveMinor\": " + Threshold + "}}");
        return cluster;
    }

    private static async Task<(WalletClient User, Cardholder Card)> BoundUserAsync(Cluster cluster)
    {
        var user = await cluster.NewUserAsync();
        var card = cluster.Cardholder("healthy");
        await cluster.BindAsync(user, card);
        return (user, card);
    }

    private static async Task<long> LastSequenceAsync(Cluster cluster, string phone) =>
        (await cluster.Inbox.ListMessagesAsync(new ListMessagesRequest { Phone = phone })).Messages.LastOrDefault()?.Sequence ?? 0;

    private static async Task<SmsMessage> ReadCodeAsync(Cluster cluster, string phone, long after)
    {
        var reply = await cluster.Inbox.WaitForMessageAsync(new WaitForMessageRequest { Phone = phone, TimeoutMs = 10_000, AfterSequence = after, Kind = "otp" });
        Assert.True(reply.Found, "no step-up SMS arrived");
        Assert.Equal("otp", reply.Message.Kind);
        return reply.Message;
    }

    private static string Wrong(string code, int salt = 0) =>
        string.Concat(code.Select((c, i) => i == 0 ? (char)('0' + ((c - '0' + 1 + salt) % 10)) : c));

    private static PaymentStore Payments(Cluster cluster) => new(new WalletDatabase(cluster.DatabasePath));

    // The challenge lapsed long ago and nobody wrote the row since (the stale window passed).
    private static async Task AgeChallengeAsync(Cluster cluster, string id, string? otp, string status = PaymentStatus.PendingAuthentication)
    {
        var ago = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await using var connection = await new WalletDatabase(cluster.DatabasePath).OpenAsync(CancellationToken.None);
        await using var command = connection.Command(
            "UPDATE payments SET status = $s, challenge_expires_at = $at, updated_at = $at, challenge_otp = $otp WHERE id = $id",
            ("$s", status), ("$at", ago), ("$otp", otp), ("$id", id));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static void AssertMoney(Cluster cluster, long held, long captured)
    {
        var invariants = cluster.Simulator.GetInvariants();
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        Assert.Equal((0L, held, captured), (invariants.DuplicateCharges, invariants.HeldMinor, invariants.CapturedMinor));
    }
}
