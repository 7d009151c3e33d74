using Microsoft.Extensions.Time.Testing;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Tests.State;

/// <summary>The Redis state must be a drop-in: the same script of calls gives the same replies as memory.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisParityTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public void Every_cardholder_gets_the_same_replies_from_redis_state_as_from_memory_state()
    {
        var otp = new OtpOptions();
        var memoryTranscript = Script((registry, time) => new InMemoryIssuerState(registry, otp, time), otp);
        using var connection = redis.Connect();
        var redisTranscript = Script(
            (registry, time) => new RedisIssuerState(connection, new RedisStateOptions { Endpoint = redis.Endpoint, Cluster = RedisTestIssuer.NewCluster() }, registry, otp, time),
            otp);

        Assert.True(memoryTranscript.Count > 3_000, $"{memoryTranscript.Count} replies");
        // The script reaches every branch worth comparing, not only the happy path.
        foreach (var expected in new[] { "Reason = OtpExpired", "Reason = OtpWrong", "Reason = ResendTooSoon", "Reason = IdempotencyKeyReused", "Reason = InsufficientFunds", "Reason = OverLimit", "Reason = AuthorizationUnknown", "RefundId = rfd_", "CardToken = tok_", "Reason = AuthorizationCaptured", "ReleasedMinor = 2000", "State = released" })
        {
            Assert.Contains(memoryTranscript, line => line.Contains(expected, StringComparison.Ordinal));
        }

        for (var i = 0; i < memoryTranscript.Count; i++)
        {
            Assert.Equal(memoryTranscript[i], redisTranscript[i]);
        }

        Assert.Equal(memoryTranscript.Count, redisTranscript.Count);
    }

    private static List<string> Script(Func<ICardholderRegistry, TimeProvider, IIssuerState> create, OtpOptions otp)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var registry = CardholderRegistry.Create(42, 150);
        var state = create(registry, time);
        var sms = new SmsGateway(registry, state.Inbox, time, SmsGateway.DefaultSlowSmsDelay);
        var engine = new IssuerEngine(state, sms, otp, time, new SeededRandom(7));
        var log = new List<string>();
        void Log(object o) => log.Add(o.ToString()!);
        string? LastOtp(CardholderRecord c) => state.Inbox.List(c.Phone).LastOrDefault()?.Otp;

        var n = 0;
        foreach (var c in registry.All)
        {
            n++;
            var start = engine.StartBinding(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone, "s-" + n);
            Log(start);
            Log(engine.StartBinding(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone, "s-" + n));
            Log(engine.StartBinding(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, "+0", "s-" + n));
            if (start.Code != "00")
            {
                continue;
            }

            if (LastOtp(c) is null)
            {
                time.Advance(SmsGateway.DefaultSlowSmsDelay);
            }

            var code = LastOtp(c) ?? "000000";
            Log(engine.ResendOtp(start.BindingId));
            Log(engine.ConfirmBinding(start.BindingId, code == "999999" ? "000000" : "999999", ""));
            if (n % 5 == 0)
            {
                time.Advance(otp.Ttl);
                Log(engine.ConfirmBinding(start.BindingId, code, ""));
                time.Advance(otp.ResendCooldown);
                Log(engine.ResendOtp(start.BindingId));
                code = LastOtp(c) ?? "000000";
            }

            var confirm = engine.ConfirmBinding(start.BindingId, code, "c-" + n);
            Log(confirm);
            Log(engine.ConfirmBinding(start.BindingId, code, "c-" + n));
            Log(engine.ConfirmBinding(start.BindingId, code, ""));
            Log(state.Inbox.List(c.Phone).Count + "/" + state.Inbox.LastSequence(c.Phone));
            if (confirm.Code != "00")
            {
                continue;
            }

            var auth = engine.Authorize(confirm.CardToken, 10_000, c.Currency, "m", "o-" + n, "a-" + n);
            Log(auth);
            Log(engine.Authorize(confirm.CardToken, 10_000, c.Currency, "m", "o-" + n, "a-" + n));
            Log(engine.Authorize(confirm.CardToken, 10_001, c.Currency, "m", "o-" + n, "a-" + n));
            Log(engine.Authorize(confirm.CardToken, 0, c.Currency, "m", "o0-" + n, ""));
            Log(engine.Authorize(confirm.CardToken, 10_000, "XXX", "m", "ox-" + n, ""));
            Log(engine.Authorize(confirm.CardToken, 900_000_000, c.Currency, "m", "big-" + n, ""));
            Log(engine.Authorize(confirm.CardToken, c.DailyLimitMinor, c.Currency, "m", "lim-" + n, ""));
            Log(engine.Capture(auth.AuthorizationId, 4_000, "cap-" + n));
            Log(engine.Capture(auth.AuthorizationId, 4_000, "cap-" + n));
            Log(engine.Capture(auth.AuthorizationId, 0, ""));
            Log(engine.Capture(auth.AuthorizationId, 1, ""));
            Log(engine.Refund(auth.AuthorizationId, 1_000, "r-" + n));
            Log(engine.Refund(auth.AuthorizationId, 0, ""));
            Log(engine.Refund(auth.AuthorizationId, 1, ""));
            var voided = engine.Authorize(confirm.CardToken, 2_000, c.Currency, "m", "ov-" + n, "av-" + n, "issuer-" + (n % 3));
            Log(engine.Void(voided.AuthorizationId, "v-" + n));
            Log(engine.Void(voided.AuthorizationId, "v-" + n));
            Log(engine.Void(voided.AuthorizationId, ""));
            Log(engine.Void(auth.AuthorizationId, "v-" + n));
            Log(engine.Void(auth.AuthorizationId, ""));
            Log(engine.Void("auth_nope", ""));
            Log(engine.Capture("auth_nope", 0, ""));
            Log(engine.Refund("auth_nope", 0, ""));
            Log(state.Ledger.AvailableMinor(c.Pan));
            if (n % 50 == 0)
            {
                time.Advance(TimeSpan.FromDays(1));
            }
        }

        // The ledger read, page by page: the same rows, states and cursors.
        PaySim.Simulator.Ledger.LedgerCursor? cursor = null;
        do
        {
            var page = state.Ledger.ReadPage(cursor, 97);
            Log($"page {page.Rows.Count} next {page.Next} more {page.More}");
            foreach (var row in page.Rows)
            {
                Log(row + " State = " + row.State);
            }

            cursor = page.More ? page.Next : null;
        }
        while (cursor is not null);

        var inv = state.Ledger.Invariants();
        Log(inv with { Violations = [] });
        Log(string.Join(";", inv.Violations));
        state.Reset();
        Log(state.Ledger.Invariants() with { Violations = [] });
        return log;
    }
}
