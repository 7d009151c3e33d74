using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Tests.Support;

/// <summary>The issuer domain without a server, on a FakeTimeProvider.</summary>
internal sealed class TestIssuer
{
    public TestIssuer(int cardholders = 1000, OtpOptions? otp = null)
    {
        Otp = otp ?? new OtpOptions();
        Registry = CardholderRegistry.Create(42, cardholders);
        State = new InMemoryIssuerState(Registry, Otp, Time);
        Sms = new SmsGateway(Registry, State.Inbox, Time, SlowSmsDelay);
        Engine = new IssuerEngine(State, Sms, Otp, Time, new SeededRandom(42));
    }

    public static readonly TimeSpan SlowSmsDelay = TimeSpan.FromSeconds(8);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    public OtpOptions Otp { get; }
    public CardholderRegistry Registry { get; }
    public InMemoryIssuerState State { get; }
    public SmsGateway Sms { get; }
    public IssuerEngine Engine { get; }

    public CardholderRecord First(Persona persona) => Registry.All.First(c => c.Persona == persona);

    public CardholderRecord Magic(string code) => MagicCards.All.Single(c => c.ExpectedResponseCode == code);

    public StartBindingOutcome Start(CardholderRecord c, string key = "") =>
        Engine.StartBinding(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone, key);

    public string? LastOtp(CardholderRecord c) => State.Inbox.List(c.Phone).LastOrDefault()?.Otp;

    public string Bind(CardholderRecord c)
    {
        var start = Start(c);
        Assert.Equal("00", start.Code);
        var confirm = Engine.ConfirmBinding(start.BindingId, LastOtp(c)!, "");
        Assert.Equal("00", confirm.Code);
        return confirm.CardToken;
    }

    /// <summary>What a patient, honest client gets: bind (waiting for slow SMS, giving up on none), then pay 100.00.</summary>
    public (string Code, string Reason) Flow(CardholderRecord c)
    {
        var start = Start(c);
        if (start.Code != "00")
        {
            return (start.Code, Name(start.Reason));
        }

        if (LastOtp(c) is null)
        {
            Time.Advance(SlowSmsDelay);
        }

        var otp = LastOtp(c);
        if (otp is null)
        {
            Time.Advance(Otp.Ttl);
        }

        var confirm = Engine.ConfirmBinding(start.BindingId, otp ?? "000000", "");
        if (confirm.Code != "00")
        {
            return (confirm.Code, Name(confirm.Reason));
        }

        var auth = Engine.Authorize(confirm.CardToken, 10_000, c.Currency, "m-1", "", "");
        return (auth.Code, Name(auth.Reason));
    }

    /// <summary>The proto name of a decline reason (OTP_WRONG), "" when approved.</summary>
    public static string Name(DeclineReason reason) =>
        reason == DeclineReason.Unspecified ? "" : Regex.Replace(reason.ToString(), "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();
}
