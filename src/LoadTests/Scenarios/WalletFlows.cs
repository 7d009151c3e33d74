using System.Globalization;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reconciliation;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Steps;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// What a user does in the wallet app, one method per scenario. Each wallet call is a step named after
/// it. A step is ok when the wallet answered as designed (a bank's decline the card explains is a correct
/// answer); the iteration is ok when the whole flow ended as the cardholder's persona expects (a
/// phone-mismatch user's binding is declined, a healthy user's is bound, a healthy card with money pays),
/// so success_rate measures the wallet, not the users' typos.
/// </summary>
internal sealed class WalletFlows
{
    public const string Password = "Load-test-9";
    public const string Pin = "258147";

    /// <summary>The merchant every payment of a run is made to.</summary>
    public const string Merchant = "loadtest-merchant";

    private const int StreamPersona = 1;
    private const int StreamAmount = 2;
    private const int StreamJourney = 3;
    private const int StreamDoubleTap = 4;

    /// <summary>The status of a payment iteration the issuer's risk rules declined, before its cause (<c>risk_decline:velocity</c>).</summary>
    public const string RiskDeclineStatus = "risk_decline:";

    /// <summary>The wallet's code for a wrong OTP (docs/wallet.md).</summary>
    private const string OtpWrong = "otp_wrong";

    private readonly IWalletClient _wallet;
    private readonly OtpReader _otp;
    private readonly ScenarioData _data;
    private readonly RunCounters _counters;
    private readonly ClientBehaviour _client;
    private readonly TimeProvider _time;
    private readonly AppCallLog? _calls;
    private readonly DeclineJudge? _declines;

    /// <param name="calls">Where every payment and refund call is recorded for reconciliation; null during set-up.</param>
    /// <param name="declines">What explains a payment's decline; null during set-up, which pays nothing (then no decline is explained).</param>
    public WalletFlows(IWalletClient wallet, OtpReader otp, ScenarioData data, RunCounters counters, ClientBehaviour client, TimeProvider? time = null, AppCallLog? calls = null, DeclineJudge? declines = null)
    {
        _time = time ?? TimeProvider.System;
        _calls = calls;
        _declines = declines;
        _wallet = wallet;
        _otp = otp;
        _data = data;
        _counters = counters;
        _client = client;
    }

    public Task<Response> RunAsync(ScenarioKind kind, IScenarioContext ctx, IReadOnlyDictionary<ScenarioKind, double> mix) => kind switch
    {
        ScenarioKind.Onboarding => OnboardingAsync(ctx),
        ScenarioKind.Payment => PaymentAsync(ctx),
        ScenarioKind.Refund => RefundAsync(ctx),
        ScenarioKind.History => HistoryAsync(ctx),
        ScenarioKind.StepUp => StepUpAsync(ctx),
        ScenarioKind.PasswordReset => PasswordResetAsync(ctx),
        ScenarioKind.QrPay => QrPayAsync(ctx),
        _ => JourneyAsync(ctx, mix),
    };

    public async Task<Response> OnboardingAsync(IScenarioContext ctx)
    {
        if (!_data.HasCardholders)
        {
            return Response.Fail("no_cardholders", "the simulator returned no cardholders for the plan's personas");
        }

        var cardholder = _data.NextCardholder(Draw.Unit(_data.Seed, StreamPersona, Key(ctx)));
        WalletReply<WalletUser>? registered = null;
        var r = await Step.Run(StepNames.Register, ctx, async () =>
        {
            registered = await _wallet.RegisterAsync(_data.NextPhone(), Password, Pin, ctx.CancellationToken).ConfigureAwait(false);
            return StepResponse(registered);
        }).ConfigureAwait(false);
        if (registered is not { Ok: true, Value: { } user })
        {
            return r.IsOk ? Response.Fail(registered?.Code ?? "register_failed") : r;
        }

        var (outcome, _) = await BindAsync(ctx, user, cardholder, record: true).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// bind_start → sms_wait → bind_confirm, with bind_resend → sms_wait up to <see cref="ClientBehaviour.OtpResends"/>
    /// times when the SMS is late, as a user taps "resend". Returns the iteration outcome and the bound card (when bound).
    /// </summary>
    public async Task<(Response Outcome, BoundCard? Card)> BindAsync(IScenarioContext? ctx, WalletUser user, SimCardholder c, bool record)
    {
        var ct = ctx?.CancellationToken ?? CancellationToken.None;
        await _otp.PrepareAsync(c.Phone, ct).ConfigureAwait(false);
        var input = new CardInput(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone);

        WalletReply<BindingStarted>? started = null;
        await RunStep(ctx, StepNames.BindStart, async () =>
        {
            started = await _wallet.StartBindingAsync(user, input, ct).ConfigureAwait(false);
            _counters.WalletCall(StepNames.BindStart, started.Status);
            return StepResponse(started);
        }).ConfigureAwait(false);
        if (started is not { Ok: true, Value: { } binding })
        {
            return (Finish(c, started?.Code ?? "bind_start_failed", started?.Status ?? 0, record), null);
        }

        var window = Deadline(_client.SmsTimeout);
        var otp = await WaitForSmsAsync(ctx, c.Phone, window, newest: false, sentAfter: null, ct).ConfigureAwait(false);
        var resent = 0;
        var fromResend = false;
        for (var asked = 0; otp is null && asked < _client.OtpResends; asked++)
        {
            var resend = await ResendAsync(ctx, user, binding.BindingId, c.Phone, newest: resent > 0, ct).ConfigureAwait(false);
            if (resend.Otp is not null)
            {
                // The late SMS came while the app's resend button was still counting down.
                otp = resend.Otp;
                fromResend = resent > 0;
                break;
            }

            if (resend.Gone is { } gone)
            {
                return (Finish(c, gone.Code ?? "bind_resend_failed", gone.Status, record), null);
            }

            if (resend.Accepted)
            {
                resent++;
                if (record)
                {
                    _counters.Resent();
                }
            }
            else if (resend.Unsupported)
            {
                break;
            }

            window = Deadline(_client.SmsTimeout);
            otp = await WaitForSmsAsync(ctx, c.Phone, window, newest: resent > 0, sentAfter: null, ct).ConfigureAwait(false);
            fromResend = resent > 0;
        }

        if (otp is null)
        {
            return (Finish(c, "sms_timeout", 0, record), null);
        }

        WalletReply<BoundCard>? confirmed = null;
        for (var typed = 0; ; typed++)
        {
            var code = otp.Code;
            await RunStep(ctx, StepNames.BindConfirm, async () =>
            {
                confirmed = await _wallet.ConfirmBindingAsync(user, binding.BindingId, code, ct).ConfigureAwait(false);
                _counters.WalletCall(StepNames.BindConfirm, confirmed.Status);
                return StepResponse(confirmed);
            }).ConfigureAwait(false);
            if (confirmed is { Ok: true } || confirmed?.Code != OtpWrong || typed >= resent)
            {
                break;
            }

            // A late SMS sent before a resend carries the void code; the user waits out the current wait for the newer one.
            otp = await WaitForSmsAsync(ctx, c.Phone, window, newest: true, sentAfter: otp.SentAt, ct).ConfigureAwait(false);
            if (otp is null)
            {
                return (Finish(c, "sms_timeout", 0, record), null);
            }
        }

        if (confirmed is not { Ok: true, Value: { } card })
        {
            return (Finish(c, confirmed?.Code ?? "bind_confirm_failed", confirmed?.Status ?? 0, record), null);
        }

        if (fromResend && record)
        {
            _counters.BoundThanksToResend();
        }

        return (Finish(c, RunCounters.Bound, 200, record), card);
    }

    /// <summary>
    /// One tap on "resend": bind_resend; when the wallet says "too soon" with a retry-after within the app's
    /// SMS wait, the app waits that long (watching the inbox, the late SMS may still come) and asks once more.
    /// </summary>
    private async Task<ResendResult> ResendAsync(IScenarioContext? ctx, WalletUser user, string bindingId, string phone, bool newest, CancellationToken ct)
    {
        var reply = await ResendStepAsync(ctx, user, bindingId, ct).ConfigureAwait(false);
        if (reply is { Status: 429, RetryAfterMs: { } waitMs } && waitMs <= _client.SmsTimeout.TotalMilliseconds)
        {
            var early = await WaitForSmsAsync(ctx, phone, Deadline(TimeSpan.FromMilliseconds(waitMs)), newest, sentAfter: null, ct).ConfigureAwait(false);
            if (early is not null)
            {
                return new ResendResult(false, false, null, early);
            }

            reply = await ResendStepAsync(ctx, user, bindingId, ct).ConfigureAwait(false);
        }

        // 404/409: the binding is gone or no longer waits for a code; another wait cannot help.
        var gone = reply is { Ok: false, Status: 404 or 409 } ? reply : null;
        // Only the adapter's default means "this client cannot resend"; a wallet's own 501 spends the tap like any failure.
        return new ResendResult(reply.Ok, reply.ClientCannot, gone, null);
    }

    private async Task<WalletReply<OtpResent>> ResendStepAsync(IScenarioContext? ctx, WalletUser user, string bindingId, CancellationToken ct)
    {
        WalletReply<OtpResent>? reply = null;
        await RunStep(ctx, StepNames.BindResend, async () =>
        {
            reply = await _wallet.ResendOtpAsync(user, bindingId, ct).ConfigureAwait(false);
            if (reply.ClientCannot)
            {
                // The adapter has no resend (IWalletClient's default): not a call to the wallet, and not the wallet's failure.
                return Response.Ok(reply.Code);
            }

            // Whatever the wallet answered is its answer, resend_not_supported over HTTP too: counted and judged.
            _counters.WalletCall(StepNames.BindResend, reply.Status);
            return StepResponse(reply);
        }).ConfigureAwait(false);
        return reply!;
    }

    /// <summary>sms_wait until <paramref name="deadline"/>; null when no (newer) OTP came by then.</summary>
    private async Task<OtpMessage?> WaitForSmsAsync(IScenarioContext? ctx, string phone, long deadline, bool newest, DateTimeOffset? sentAfter, CancellationToken ct)
    {
        var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        if (left <= TimeSpan.Zero)
        {
            return null;
        }

        OtpMessage? otp = null;
        await RunStep(ctx, StepNames.SmsWait, async () =>
        {
            otp = await _otp.WaitForOtpAsync(phone, left, newest, sentAfter, ct).ConfigureAwait(false);
            return otp is null ? Response.Fail("sms_timeout") : Response.Ok();
        }).ConfigureAwait(false);
        return otp;
    }

    private long Deadline(TimeSpan wait) => _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);

    public async Task<Response> PaymentAsync(IScenarioContext ctx)
    {
        var (outcome, _) = await PayAsync(ctx).ConfigureAwait(false);
        return outcome;
    }

    public async Task<Response> RefundAsync(IScenarioContext ctx)
    {
        var (outcome, payment) = await PayAsync(ctx).ConfigureAwait(false);
        if (payment is null)
        {
            return outcome;
        }

        var user = payment.Value.User;
        var key = $"{_data.RunId}-{ctx.ScenarioName}-{ctx.InvocationNumber}-refund";
        WalletReply<RefundDone>? refunded = null;
        var r = await Step.Run(StepNames.Refund, ctx, async () =>
        {
            var started = _time.GetUtcNow();
            refunded = await _wallet.RefundAsync(user.User, payment.Value.PaymentId, payment.Value.Amount, key, ctx.CancellationToken).ConfigureAwait(false);
            _counters.WalletCall(StepNames.Refund, refunded.Status);
            Record(true, user, key, payment.Value.OrderReference, Merchant, payment.Value.Amount, payment.Value.PaymentId, refunded, started);
            return StepResponse(refunded);
        }).ConfigureAwait(false);
        return refunded is { Ok: true } ? Response.Ok() : Response.Fail(refunded?.Code ?? r.StatusCode, refunded?.Message);
    }

    public async Task<Response> HistoryAsync(IScenarioContext ctx)
    {
        if (_data.Prebound.Count == 0)
        {
            return Response.Fail("no_prebound_cards");
        }

        var user = _data.Prebound[(int)(Key(ctx) % _data.Prebound.Count)].User;
        WalletReply<int>? reply = null;
        await Step.Run(StepNames.History, ctx, async () =>
        {
            reply = await _wallet.GetTransactionsAsync(user, ctx.CancellationToken).ConfigureAwait(false);
            return StepResponse(reply);
        }).ConfigureAwait(false);
        return reply is { Ok: true } ? Response.Ok() : Response.Fail(reply?.Code ?? "history_failed", reply?.Message);
    }

    /// <summary>
    /// password-reset: a registered user who forgot the password asks for a reset (reset_start), reads the code from the
    /// SMS inbox (sms_wait; asking again up to <see cref="ClientBehaviour.OtpResends"/> times when none came within
    /// <see cref="ClientBehaviour.SmsTimeout"/>, typing the newest code), sets a new password (reset_confirm), logs in
    /// with it (login) and finds the session from before the reset ended (old_session). Each user is reset by one
    /// iteration at a time; when all are busy, one more is registered.
    /// </summary>
    public async Task<Response> PasswordResetAsync(IScenarioContext ctx)
    {
        var user = _data.TakeResetUser();
        if (user is null)
        {
            WalletReply<WalletUser>? registered = null;
            var r = await Step.Run(StepNames.Register, ctx, async () =>
            {
                registered = await _wallet.RegisterAsync(_data.NextPhone(), Password, Pin, ctx.CancellationToken).ConfigureAwait(false);
                return StepResponse(registered);
            }).ConfigureAwait(false);
            if (registered is not { Ok: true, Value: { } fresh })
            {
                return r.IsOk ? Response.Fail(registered?.Code ?? "register_failed") : r;
            }

            user = fresh;
        }

        var (cause, now) = await ResetPasswordAsync(ctx, user, ctx.InvocationNumber).ConfigureAwait(false);
        _data.ReturnResetUser(now);
        _counters.PasswordReset(cause ?? RunCounters.Reset);
        return cause is null ? Response.Ok(RunCounters.Reset) : Response.Fail(cause);
    }

    /// <summary>One reset of <paramref name="user"/>; returns the cause of its failure (null when reset) and the user with the session it ended with.</summary>
    private async Task<(string? Cause, WalletUser User)> ResetPasswordAsync(IScenarioContext ctx, WalletUser user, long n)
    {
        var ct = ctx.CancellationToken;
        await _otp.PrepareAsync(user.Phone, ct).ConfigureAwait(false);
        var started = await ResetStartAsync(ctx, user.Phone).ConfigureAwait(false);
        if (PasswordResetCause.OfStart(started) is { } refused)
        {
            return (refused, user);
        }

        var window = Deadline(_client.SmsTimeout);
        var sms = await WaitForSmsAsync(ctx, user.Phone, window, newest: false, sentAfter: null, ct).ConfigureAwait(false);
        var asked = 0;
        for (; sms is null && asked < _client.OtpResends; asked++)
        {
            // "Send the code again": the wallet replaces the phone's code, so the newest SMS is the one to type.
            var again = await ResetStartAsync(ctx, user.Phone).ConfigureAwait(false);
            if (PasswordResetCause.OfStart(again) is { } cause)
            {
                return (cause, user);
            }

            window = Deadline(_client.SmsTimeout);
            sms = await WaitForSmsAsync(ctx, user.Phone, window, newest: true, sentAfter: null, ct).ConfigureAwait(false);
        }

        if (sms is null)
        {
            return (PasswordResetCause.SmsTimeout, user);
        }

        var newPassword = $"Reset-{n % 1_000_000}-pw";
        WalletReply<PasswordChanged>? confirmed = null;
        for (var typed = 0; ; typed++)
        {
            var code = sms.Code;
            await Step.Run(StepNames.ResetConfirm, ctx, async () =>
            {
                confirmed = await _wallet.ConfirmPasswordResetAsync(user.Phone, code, newPassword, ct).ConfigureAwait(false);
                _counters.WalletCall(StepNames.ResetConfirm, confirmed.Status);
                return StepResponse(confirmed);
            }).ConfigureAwait(false);
            if (confirmed is { Ok: true } || confirmed?.Code != PasswordResetCause.CodeInvalid || typed >= asked)
            {
                break;
            }

            // The late SMS of a replaced code came first: wait out the current wait for the newer one.
            sms = await WaitForSmsAsync(ctx, user.Phone, window, newest: true, sentAfter: sms.SentAt, ct).ConfigureAwait(false);
            if (sms is null)
            {
                return (PasswordResetCause.SmsTimeout, user);
            }
        }

        if (PasswordResetCause.OfConfirm(confirmed!) is { } wrong)
        {
            return (wrong, user);
        }

        WalletReply<WalletUser>? login = null;
        await Step.Run(StepNames.Login, ctx, async () =>
        {
            login = await _wallet.LoginAsync(user.Phone, newPassword, user.Pin, ct).ConfigureAwait(false);
            _counters.WalletCall(StepNames.Login, login.Status);
            // A 401 here is the new password refused: the wallet's failure, not an answer as designed.
            return login.Status == 401 ? Response.Fail(PasswordResetCause.NewPasswordRefused, login.Message, login.Bytes) : StepResponse(login);
        }).ConfigureAwait(false);

        WalletReply<int>? old = null;
        await Step.Run(StepNames.OldSession, ctx, async () =>
        {
            old = await _wallet.GetTransactionsAsync(user, ct).ConfigureAwait(false);
            _counters.WalletCall(StepNames.OldSession, old.Status);
            return PasswordResetCause.OfOldSession(old) is { } alive ? Response.Fail(alive, old.Message, old.Bytes) : Response.Ok(old.Status, old.Bytes);
        }).ConfigureAwait(false);

        var now = login is { Ok: true, Value: { } session } ? session with { UserId = session.UserId.Length > 0 ? session.UserId : user.UserId } : user;
        return (PasswordResetCause.OfLogin(login!) ?? PasswordResetCause.OfOldSession(old!), now);
    }

    private async Task<WalletReply<ResetRequested>> ResetStartAsync(IScenarioContext ctx, string phone)
    {
        WalletReply<ResetRequested>? reply = null;
        await Step.Run(StepNames.ResetStart, ctx, async () =>
        {
            reply = await _wallet.StartPasswordResetAsync(phone, ctx.CancellationToken).ConfigureAwait(false);
            _counters.WalletCall(StepNames.ResetStart, reply.Status);
            return StepResponse(reply);
        }).ConfigureAwait(false);
        return reply!;
    }

    public Task<Response> JourneyAsync(IScenarioContext ctx, IReadOnlyDictionary<ScenarioKind, double> mix)
    {
        var action = Draw.Weighted(mix.Select(kv => (kv.Key, kv.Value)).ToArray(), Draw.Unit(_data.Seed, StreamJourney, Key(ctx)));
        return action switch
        {
            ScenarioKind.Onboarding => OnboardingAsync(ctx),
            ScenarioKind.Refund => RefundAsync(ctx),
            ScenarioKind.History => HistoryAsync(ctx),
            ScenarioKind.PasswordReset => PasswordResetAsync(ctx),
            ScenarioKind.QrPay => QrPayAsync(ctx),
            ScenarioKind.StepUp => StepUpAsync(ctx),
            _ => PaymentAsync(ctx),
        };
    }

    /// <summary>
    /// One logical payment: the app retries a failed attempt with the same Idempotency-Key, as real apps do, after
    /// the wallet's retry-after when it says the key is still in progress.
    /// </summary>
    private Task<(Response Outcome, (PreboundCard User, string PaymentId, long Amount, string OrderReference)? Payment)> PayAsync(IScenarioContext ctx)
    {
        if (_data.Prebound.Count == 0)
        {
            return Task.FromResult<(Response, (PreboundCard, string, long, string)?)>((Response.Fail("no_prebound_cards"), null));
        }

        var key = Key(ctx);
        var owner = _data.Prebound[(int)(key % _data.Prebound.Count)];
        var amount = Draw.Between(_data.Seed, StreamAmount, key, _client.MinAmountMinor, _client.MaxAmountMinor);
        var orderReference = $"{_data.RunId}-{ctx.ScenarioName}-{ctx.InvocationNumber}";
        var request = new PaymentRequest(owner.Card.CardId, amount, owner.Currency, Merchant, orderReference);
        var money = new MoneyCall(owner, orderReference, Merchant, orderReference, amount);
        return PayWithRetriesAsync(ctx, StepNames.Pay, money, ct => _wallet.PayAsync(owner.User, request, orderReference, ct));
    }

    /// <summary>
    /// qr-pay: the user scans a merchant's code (one of the simulator's merchants, written in the card's currency: a
    /// dynamic code with the amount and order reference in it, or a static one and the typed amount, in turn) and pays it
    /// with a prepared card, retried and recorded for reconciliation exactly as a card payment.
    /// </summary>
    public async Task<Response> QrPayAsync(IScenarioContext ctx)
    {
        if (_data.Prebound.Count == 0)
        {
            return Response.Fail("no_prebound_cards");
        }

        if (_data.Merchants.Count == 0)
        {
            return Response.Fail("no_merchants", "the simulator listed no merchants (GET /v1/merchants)");
        }

        var key = Key(ctx);
        var owner = _data.Prebound[(int)(key % _data.Prebound.Count)];
        var merchant = _data.Merchants[(int)(key % _data.Merchants.Count)];
        var amount = Draw.Between(_data.Seed, StreamAmount, key, _client.MinAmountMinor, _client.MaxAmountMinor);
        var idempotencyKey = $"{_data.RunId}-{ctx.ScenarioName}-{ctx.InvocationNumber}";
        var qr = QrCodes.Build(merchant, owner.Currency, amount, dynamic: ctx.InvocationNumber % 2 == 0, idempotencyKey);
        var request = new QrPaymentRequest(qr.Payload, owner.Card.CardId, qr.TypedAmountMinor);
        var money = new MoneyCall(owner, idempotencyKey, qr.MerchantId, qr.OrderReference, amount);
        var (outcome, _) = await PayWithRetriesAsync(ctx, StepNames.PayQr, money, ct => _wallet.PayQrAsync(owner.User, request, idempotencyKey, ct)).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// One logical payment of <paramref name="money"/> under its key, timed as <paramref name="step"/>: the attempts, the record of each, the judge of
    /// declines. A <see cref="ClientBehaviour.DoubleTap"/> share of payments (drawn from the run's seed) sends the first attempt twice at once, the
    /// second timed as <see cref="StepNames.PayTap2"/>; the app's answer is the pair's (<see cref="Combine"/>), and only the first attempt is doubled.
    /// </summary>
    private async Task<(Response Outcome, (PreboundCard User, string PaymentId, long Amount, string OrderReference)? Payment)> PayWithRetriesAsync(
        IScenarioContext ctx, string step, MoneyCall money, Func<CancellationToken, Task<WalletReply<PaymentDone>>> send)
    {
        var owner = money.Owner;
        var amount = money.AmountMinor;
        var twice = _client.DoubleTap > 0 && Draw.Unit(_data.Seed, StreamDoubleTap, Key(ctx)) < _client.DoubleTap;
        var tap = default(Tap);
        for (var attempt = 0; attempt <= _client.PaymentRetries; attempt++)
        {
            if (attempt == 0 && twice)
            {
                var both = await Task.WhenAll(TapAsync(ctx, step, money, send, doubleTap: true), TapAsync(ctx, StepNames.PayTap2, money, send, doubleTap: true)).ConfigureAwait(false);
                tap = Combine(both[0], both[1]);
            }
            else
            {
                tap = await TapAsync(ctx, step, money, send, doubleTap: false).ConfigureAwait(false);
            }

            var paid = tap.Reply;
            if (paid is { Ok: true } || !IsRetryable(paid) || attempt == _client.PaymentRetries)
            {
                break;
            }

            // "Still in progress, retry in a moment": a real app waits the moment before it asks again.
            if (paid is { RetryAfterMs: { } waitMs } && waitMs > 0 && waitMs <= _client.Timeout.TotalMilliseconds)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _time, ctx.CancellationToken).ConfigureAwait(false);
            }
        }

        var (last, risk, unexplained) = tap;
        if (last is { Ok: true, Value: { } done })
        {
            return (Response.Ok(), (owner, done.PaymentId, amount, money.OrderReference));
        }

        if (last is { Status: 402 } && risk is not null)
        {
            _counters.RiskDecline(risk);
            return (Response.Ok(RiskDeclineStatus + risk), null);
        }

        // A bank's decline the card explains (too little money, over the limit) is a correct answer of the wallet.
        return last is { Status: 402 }
            ? (unexplained is null ? Response.Ok("declined:" + last.Code) : Response.Fail(DeclineJudge.UnexpectedDecline, unexplained), null)
            : (Response.Fail(last?.Code ?? "pay_failed", last?.Message), null);
    }

    /// <summary>One request of a payment, timed as <paramref name="step"/> and recorded for reconciliation; its reply (null when the step threw), the risk cause of a 402 and what leaves a 402 unexplained.</summary>
    private async Task<Tap> TapAsync(IScenarioContext ctx, string step, MoneyCall money, Func<CancellationToken, Task<WalletReply<PaymentDone>>> send, bool doubleTap)
    {
        var owner = money.Owner;
        var amount = money.AmountMinor;
        WalletReply<PaymentDone>? paid = null;
        string? unexplained = null;
        string? risk = null;
        await Step.Run(step, ctx, async () =>
        {
            var started = _time.GetUtcNow();
            _declines?.Reserve(owner.Pan, amount);
            paid = await send(ctx.CancellationToken).ConfigureAwait(false);
            _counters.WalletCall(step, paid.Status);
            Record(false, owner, money.Key, money.OrderReference, money.Merchant, amount, paid.Value?.PaymentId, paid, started, doubleTap);
            if (paid.Status is >= 400 and < 500)
            {
                // The wallet said no: no money left the card.
                _declines?.Release(owner.Pan, amount);
            }

            // The issuer's risk rules declined it: their own cause, the wallet answered as designed.
            risk = paid.Status == 402 ? _declines?.RiskCause(owner.Pan, paid.IssuerCode, paid.Code, Merchant, amount) : null;
            if (paid.Status == 402 && risk is null && _declines?.Explain(owner.Pan, amount) is null)
            {
                // A decline neither the persona, the card's state nor a planned fault explains: the wallet's failure.
                unexplained = _declines?.Unexplained(owner.Pan, paid.Code, amount) ?? $"402 {paid.Code}: no judge of declines";
                return Response.Fail(DeclineJudge.UnexpectedDecline, unexplained, paid.Bytes);
            }

            return StepResponse(paid);
        }).ConfigureAwait(false);
        return new Tap(paid, risk, unexplained);
    }

    /// <summary>
    /// What the app makes of a double tap: the tap that paid (the first when both did: a wallet that charged twice answers
    /// two payment ids, both recorded); else the one that is an answer (a decline, a refusal) over one that is not (409
    /// payment_in_progress, 5xx, no reply: the other tap is being processed, or nothing is known); else the first tap's,
    /// which the app retries as any unknown outcome.
    /// </summary>
    internal static Tap Combine(Tap first, Tap second) =>
        first.Reply is { Ok: true } ? first
        : second.Reply is { Ok: true } ? second
        : !IsRetryable(first.Reply) ? first
        : !IsRetryable(second.Reply) ? second
        : first;

    /// <summary>The issuer's step-up threshold a step-up plan sets: every amount the app pays otherwise is at most this.</summary>
    public static long StepUpThreshold(ClientBehaviour client) => client.MaxAmountMinor;

    /// <summary>
    /// SMS step-up at checkout: pay above the issuer's threshold with a pre-bound card (202, the challenge), read the
    /// code the issuer texted to the card's reserved phone (sms_wait; pay_resend when it is late, as for a binding),
    /// then pay_authenticate. The app's view is recorded for reconciliation as a payment's is: the 202 is no outcome,
    /// the authentication's reply is the payment's.
    /// </summary>
    public async Task<Response> StepUpAsync(IScenarioContext ctx)
    {
        if (_data.Prebound.Count == 0)
        {
            return Response.Fail("no_prebound_cards");
        }

        var key = Key(ctx);
        var owner = _data.Prebound[(int)(key % _data.Prebound.Count)];
        var amount = StepUpThreshold(_client) + Draw.Between(_data.Seed, StreamAmount, key, _client.MinAmountMinor, _client.MaxAmountMinor);
        var orderReference = $"{_data.RunId}-{ctx.ScenarioName}-{ctx.InvocationNumber}";
        var request = new PaymentRequest(owner.Card.CardId, amount, owner.Currency, Merchant, orderReference);
        WalletReply<PaymentDone>? paid = null;
        for (var attempt = 0; attempt <= _client.PaymentRetries; attempt++)
        {
            await Step.Run(StepNames.Pay, ctx, async () =>
            {
                var started = _time.GetUtcNow();
                paid = await _wallet.PayAsync(owner.User, request, orderReference, ctx.CancellationToken).ConfigureAwait(false);
                _counters.WalletCall(StepNames.Pay, paid.Status);
                if (paid.Status != 202)
                {
                    // 202 is no outcome yet (nothing is held until the code comes); anything else is the payment's answer.
                    Record(false, owner, orderReference, orderReference, Merchant, amount, paid.Value?.PaymentId, paid, started);
                }

                return StepResponse(paid);
            }).ConfigureAwait(false);
            if (paid is { Ok: true } || !IsRetryable(paid) || attempt == _client.PaymentRetries)
            {
                break;
            }

            if (paid is { RetryAfterMs: { } waitMs } && waitMs > 0 && waitMs <= _client.Timeout.TotalMilliseconds)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _time, ctx.CancellationToken).ConfigureAwait(false);
            }
        }

        if (paid is not { Status: 202, Value: { } challenged })
        {
            return StepUpEnd(paid is { Ok: true } ? StepUpCauses.NotChallenged : StepUpCauses.Classify(paid?.Status ?? 0, paid?.Code ?? "pay_failed"), paid?.Message);
        }

        if (string.IsNullOrEmpty(challenged.PaymentId))
        {
            return StepUpEnd(StepUpCauses.NoPaymentId, "the 202 named no paymentId");
        }

        var phone = owner.Holder.Phone;
        var otp = await WaitForStepUpCodeAsync(ctx, phone, challenged.ChallengeId, sentAfter: null).ConfigureAwait(false);
        var resent = 0;
        for (var asked = 0; otp is null && asked < _client.OtpResends; asked++)
        {
            WalletReply<OtpResent>? resend = null;
            await Step.Run(StepNames.PayResend, ctx, async () =>
            {
                resend = await _wallet.ResendPaymentOtpAsync(owner.User, challenged.PaymentId, ctx.CancellationToken).ConfigureAwait(false);
                if (resend.ClientCannot)
                {
                    return Response.Ok(resend.Code);
                }

                _counters.WalletCall(StepNames.PayResend, resend.Status);
                return StepResponse(resend);
            }).ConfigureAwait(false);
            if (resend is { ClientCannot: true } || resend is { Ok: false, Status: 404 or 409 })
            {
                // No resend, or the challenge is over: only the first code can still come.
                otp = await WaitForStepUpCodeAsync(ctx, phone, challenged.ChallengeId, sentAfter: null).ConfigureAwait(false);
                break;
            }

            resent += resend is { Ok: true } ? 1 : 0;
            otp = await WaitForStepUpCodeAsync(ctx, phone, challenged.ChallengeId, sentAfter: null).ConfigureAwait(false);
        }

        if (otp is null)
        {
            return StepUpEnd(StepUpCauses.SmsTimeout, null);
        }

        WalletReply<PaymentDone>? done = null;
        for (var attempt = 0; ; attempt++)
        {
            var code = otp.Code;
            await Step.Run(StepNames.PayAuthenticate, ctx, async () =>
            {
                var started = _time.GetUtcNow();
                _declines?.Reserve(owner.Pan, amount);
                done = await _wallet.AuthenticatePaymentAsync(owner.User, challenged.PaymentId, code, ctx.CancellationToken).ConfigureAwait(false);
                _counters.WalletCall(StepNames.PayAuthenticate, done.Status);
                Record(false, owner, orderReference, orderReference, Merchant, amount, challenged.PaymentId, done, started);
                if (done.Status is >= 400 and < 500)
                {
                    _declines?.Release(owner.Pan, amount);
                }

                return StepResponse(done);
            }).ConfigureAwait(false);
            if (done is { Ok: true } || attempt >= _client.PaymentRetries + resent)
            {
                break;
            }

            if (done?.Code == OtpWrong && resent > 0)
            {
                // A late SMS of a code a resend replaced: the newer one is on its way.
                otp = await WaitForStepUpCodeAsync(ctx, phone, challenged.ChallengeId, sentAfter: otp.SentAt).ConfigureAwait(false);
                if (otp is null)
                {
                    return StepUpEnd(StepUpCauses.SmsTimeout, null);
                }
            }
            else if (!IsRetryable(done))
            {
                break;
            }
        }

        if (done is { Ok: true })
        {
            return StepUpEnd(StepUpCauses.Authenticated, null);
        }

        var cause = StepUpCauses.Classify(done?.Status ?? 0, done?.Code ?? "authenticate_failed");
        return done is { Status: 402 } && _declines?.Explain(owner.Pan, amount) is { } why
            ? StepUpEnd(cause, why, explained: true)
            : StepUpEnd(cause, done?.Message);
    }

    /// <summary>sms_wait for the challenge's code within the app's SMS wait; null when none came.</summary>
    private async Task<OtpMessage?> WaitForStepUpCodeAsync(IScenarioContext ctx, string phone, string? challengeId, DateTimeOffset? sentAfter)
    {
        OtpMessage? otp = null;
        await Step.Run(StepNames.SmsWait, ctx, async () =>
        {
            otp = await _otp.WaitForCodeAsync(phone, string.IsNullOrEmpty(challengeId) ? null : challengeId, _client.SmsTimeout, sentAfter, ctx.CancellationToken).ConfigureAwait(false);
            return otp is null ? Response.Fail(StepUpCauses.SmsTimeout) : Response.Ok();
        }).ConfigureAwait(false);
        return otp;
    }

    /// <summary>The step-up's final outcome, counted by cause; a decline the card explains is a correct answer of the wallet.</summary>
    private Response StepUpEnd(string cause, string? message, bool explained = false)
    {
        _counters.StepUp(cause);
        return cause == StepUpCauses.Authenticated ? Response.Ok()
            : explained ? Response.Ok("declined:" + cause)
            : Response.Fail(cause, message);
    }

    private static bool IsRetryable<T>(WalletReply<T>? reply) =>
        reply is null || reply.Status == 0 || reply.Status >= 500 || reply.Code == AppCall.InProgressCode;

    /// <summary>The app's view of one money call, for reconciliation: one queue append, nothing else on the hot path.</summary>
    private void Record<T>(bool refund, PreboundCard owner, string key, string orderReference, string merchant, long amount, string? paymentId, WalletReply<T> reply, DateTimeOffset started, bool doubleTap = false) =>
        _calls?.Add(new AppCall(
            refund, owner.User.UserId, owner.Pan, key, orderReference, merchant, amount, paymentId,
            AppCall.Classify(reply.Status, reply.Code), reply.Status, reply.Code, reply.ServedBy,
            started.ToUnixTimeMilliseconds(), _time.GetUtcNow().ToUnixTimeMilliseconds(), doubleTap));

    /// <summary>A step is ok when the wallet answered as designed: success, or a bank's decline (HTTP 4xx with a decline code).</summary>
    private static Response StepResponse<T>(WalletReply<T> reply)
    {
        if (reply.Ok)
        {
            return Response.Ok(reply.Status, reply.Bytes);
        }

        return reply.Status is 402 or 404 or 409 or 422 or 429
            ? Response.Ok(reply.Code, reply.Bytes)
            : Response.Fail(reply.Code ?? reply.Status.ToString(CultureInfo.InvariantCulture), reply.Message, reply.Bytes);
    }

    /// <summary>The binding's final outcome, judged against what the persona should get.</summary>
    private Response Finish(SimCardholder c, string outcome, int status, bool record)
    {
        if (record)
        {
            _counters.Bind(outcome);
        }

        if (outcome == RunCounters.Bound)
        {
            return Response.Ok("bound");
        }

        if (outcome == "sms_timeout")
        {
            return c.Persona is "sms-unreachable" or "slow-sms" ? Response.Ok("sms_timeout") : Response.Fail("sms_timeout");
        }

        // A decline the persona provokes (wrong phone, expired card) is the wallet working correctly.
        var expectedDecline = status is >= 400 and < 500 && c.Persona is not ("healthy" or "slow-sms");
        return expectedDecline ? Response.Ok("declined:" + outcome) : Response.Fail(outcome);
    }

    /// <summary>The money of one logical payment as the app records it: the card, its Idempotency-Key, the merchant paid, the order reference the app sent (empty when none) and the amount.</summary>
    private readonly record struct MoneyCall(PreboundCard Owner, string Key, string Merchant, string OrderReference, long AmountMinor);

    /// <summary>One request of a payment as the app saw it: the wallet's reply (null when the step threw), the risk cause of a 402, what leaves a 402 unexplained.</summary>
    internal readonly record struct Tap(WalletReply<PaymentDone>? Reply, string? Risk, string? Unexplained);

    /// <summary>What one tap on "resend" came to: accepted, impossible for this client, the binding gone, or the late SMS after all.</summary>
    private readonly record struct ResendResult(bool Accepted, bool Unsupported, WalletReply<OtpResent>? Gone, OtpMessage? Otp);

    private static Task<Response> RunStep(IScenarioContext? ctx, string name, Func<Task<Response>> step) =>
        ctx is null ? step() : Step.Run(name, ctx, step);

    private static long Key(IScenarioContext ctx) => ((long)StableHash(ctx.ScenarioName) << 40) ^ ctx.InvocationNumber;

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var ch in s)
        {
            h = unchecked(h * 31 + ch);
        }

        return h & 0x7FFF;
    }
}
