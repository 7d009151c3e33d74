using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Tests.EndToEnd;
using PaySim.LoadTests.Wallets;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.Wallets;

/// <summary>
/// The calls the password-reset and qr-pay scenarios make, through <see cref="HttpWalletClient"/> against the reference
/// wallet and a simulator in-process: the reset code read from the SMS inbox, the new password logging in, the old session
/// refused; QR payments static and dynamic, replayed by key, refused for a bad code, and the money moved once.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class ResetAndQrCallsTests : IAsyncLifetime
{
    private SimulatorHost _simulator = null!;
    private WalletHost _wallet = null!;
    private HttpWalletClient _client = null!;
    private readonly string _db = Path.Combine(Path.GetTempPath(), $"paysim-lt-flows-{Guid.NewGuid():N}.db");

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 7, Cardholders = 200 });
        _wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 2,
            Port = 0,
            IssuerUris = _simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            SmsGatewayUri = _simulator.SmsUri,
            DatabasePath = _db,
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });
        _client = new HttpWalletClient(_wallet.Instances.Select(i => i.Uri).ToArray(), TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _wallet.DisposeAsync();
        await _simulator.DisposeAsync();
        foreach (var file in new[] { _db, _db + "-wal", _db + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task PasswordReset_CodeFromTheInbox_SetsTheNewPassword_EndsTheOldSession_AndAWrongCodeIsResetCodeInvalid()
    {
        using var otp = new OtpReader(_simulator.SmsUri);
        const string phone = "13700000101";
        var user = (await _client.RegisterAsync(phone, WalletFlows.Password, WalletFlows.Pin, CancellationToken.None)).Value!;
        await otp.PrepareAsync(phone, CancellationToken.None);

        var started = await _client.StartPasswordResetAsync(phone, CancellationToken.None);
        Assert.Equal((true, 202, "code_sent", (long?)300), (started.Ok, started.Status, started.Value!.Status, started.Value.CodeTtlSeconds));
        var sms = await otp.WaitForOtpAsync(phone, TimeSpan.FromSeconds(10), newest: false, sentAfter: null, CancellationToken.None);
        Assert.NotNull(sms);
        var wrongCode = sms.Code == "000000" ? "000001" : "000000";
        var wrong = await _client.ConfirmPasswordResetAsync(phone, wrongCode, "Reset-1-pw", CancellationToken.None);
        Assert.Equal((false, 400, PasswordResetCause.CodeInvalid), (wrong.Ok, wrong.Status, PasswordResetCause.OfConfirm(wrong)));

        var confirmed = await _client.ConfirmPasswordResetAsync(phone, sms.Code, "Reset-1-pw", CancellationToken.None);
        Assert.True(confirmed.Ok, $"{confirmed.Status} {confirmed.Code}: {confirmed.Message}");
        Assert.Equal("password_reset", confirmed.Value!.Status);

        var old = await _client.GetTransactionsAsync(user, CancellationToken.None);
        Assert.Equal((401, (string?)null), (old.Status, PasswordResetCause.OfOldSession(old)));
        var oldPassword = await _client.LoginAsync(phone, WalletFlows.Password, WalletFlows.Pin, CancellationToken.None);
        Assert.Equal((401, PasswordResetCause.NewPasswordRefused), (oldPassword.Status, PasswordResetCause.OfLogin(oldPassword)));
        var login = await _client.LoginAsync(phone, "Reset-1-pw", WalletFlows.Pin, CancellationToken.None);
        Assert.True(login.Ok, $"{login.Status} {login.Code}");
        Assert.Equal((user.UserId, phone, WalletFlows.Pin), (login.Value!.UserId, login.Value.Phone, login.Value.Pin));
        Assert.NotEqual(user.Token, login.Value.Token);
        Assert.Equal(200, (await _client.GetTransactionsAsync(login.Value, CancellationToken.None)).Status);

        // An unknown phone is answered like a known one, and no code reaches its inbox.
        var unknown = await _client.StartPasswordResetAsync("13700000199", CancellationToken.None);
        Assert.Equal((202, "code_sent"), (unknown.Status, unknown.Value!.Status));
    }

    [Fact]
    public async Task QrPay_DynamicAndStatic_PayTheMerchantOnce_ReplayByKey_AndRefuseABadCode()
    {
        using var control = new ControlPlaneClient(_simulator.ControlUri);
        using var otp = new OtpReader(_simulator.SmsUri);
        var merchants = await control.GetMerchantsAsync(4, CancellationToken.None);
        Assert.Equal(4, merchants.Count);
        Assert.All(merchants, m => Assert.StartsWith("m-qr-", m.MerchantId, StringComparison.Ordinal));
        var holder = (await control.GetCardholdersAsync(1, "healthy", 0, CancellationToken.None)).Single();
        var user = (await _client.RegisterAsync("13700000102", WalletFlows.Password, WalletFlows.Pin, CancellationToken.None)).Value!;
        var card = await BindAsync(user, holder, otp);
        var before = await control.GetInvariantsAsync(CancellationToken.None);

        var dynamicQr = QrCodes.Build(merchants[1], holder.Currency, 1999, dynamic: true, "flows-qr-1");
        var paid = await _client.PayQrAsync(user, new QrPaymentRequest(dynamicQr.Payload, card.CardId, dynamicQr.TypedAmountMinor), "flows-qr-1", CancellationToken.None);
        Assert.True(paid.Ok, $"{paid.Status} {paid.Code}: {paid.Message}");
        Assert.Equal(201, paid.Status);
        var replay = await _client.PayQrAsync(user, new QrPaymentRequest(dynamicQr.Payload, card.CardId, null), "flows-qr-1", CancellationToken.None);
        Assert.Equal((200, paid.Value!.PaymentId), (replay.Status, replay.Value!.PaymentId));

        var staticQr = QrCodes.Build(merchants[0], holder.Currency, 250, dynamic: false, "flows-qr-2");
        var typed = await _client.PayQrAsync(user, new QrPaymentRequest(staticQr.Payload, card.CardId, staticQr.TypedAmountMinor), "flows-qr-2", CancellationToken.None);
        Assert.Equal(201, typed.Status);
        var noAmount = await _client.PayQrAsync(user, new QrPaymentRequest(staticQr.Payload, card.CardId, null), "flows-qr-3", CancellationToken.None);
        Assert.Equal((400, "qr_amount_missing"), (noAmount.Status, noAmount.Code));
        var tampered = await _client.PayQrAsync(user, new QrPaymentRequest(dynamicQr.Payload.Replace("19.99", "91.99", StringComparison.Ordinal), card.CardId, null), "flows-qr-4", CancellationToken.None);
        Assert.Equal((400, "invalid_qr"), (tampered.Status, tampered.Code));

        var history = (await _client.GetHistoryAsync(user, CancellationToken.None)).Value!;
        var payments = history.Where(t => t.Kind == "payment").OrderBy(t => t.AmountMinor).ToArray();
        Assert.Equal([(250L, merchants[0].MerchantId), (1999L, merchants[1].MerchantId)], payments.Select(p => (p.AmountMinor, p.Merchant!)).ToArray());
        Assert.Equal("flows-qr-1", payments[1].OrderReference);
        Assert.StartsWith("qr-", payments[0].OrderReference, StringComparison.Ordinal);
        var after = await control.GetInvariantsAsync(CancellationToken.None);
        Assert.Equal(before.DuplicateCharges, after.DuplicateCharges);
        Assert.True(after.MoneyConserved, string.Join("; ", after.Violations));
    }

    private async Task<BoundCard> BindAsync(WalletUser user, SimCardholder c, OtpReader otp)
    {
        await otp.PrepareAsync(c.Phone, CancellationToken.None);
        var started = await _client.StartBindingAsync(user, new CardInput(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone), CancellationToken.None);
        Assert.True(started.Ok, $"{started.Status} {started.Code}");
        var sms = await otp.WaitForOtpAsync(c.Phone, TimeSpan.FromSeconds(10), newest: false, sentAfter: null, CancellationToken.None);
        var bound = await _client.ConfirmBindingAsync(user, started.Value!.BindingId, sms!.Code, CancellationToken.None);
        Assert.True(bound.Ok, $"{bound.Status} {bound.Code}");
        return bound.Value!;
    }
}
