using Microsoft.Extensions.Time.Testing;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State.Redis;
using StackExchange.Redis;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// One "simulator process" on a shared Redis: its own connection, cardholder file (same seed), engine
/// and random seed, as two processes would have. Instances given the same cluster and clock act as one issuer.
/// </summary>
internal sealed class RedisTestIssuer : IDisposable
{
    public const int Cardholders = 300;

    public RedisTestIssuer(RedisServerFixture redis, string cluster, FakeTimeProvider time, int engineSeed, OtpOptions? otp = null)
    {
        Time = time;
        Otp = otp ?? new OtpOptions();
        Connection = redis.Connect();
        Registry = CardholderRegistry.Create(42, Cardholders);
        State = new RedisIssuerState(Connection, new RedisStateOptions { Endpoint = redis.Endpoint, Cluster = cluster }, Registry, Otp, Time);
        Sms = new SmsGateway(Registry, State.Inbox, Time, SmsGateway.DefaultSlowSmsDelay);
        Engine = new IssuerEngine(State, Sms, Otp, Time, new SeededRandom(engineSeed));
    }

    public static string NewCluster() => "t" + Guid.NewGuid().ToString("N");

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Two processes of one issuer: the same cluster and clock, different engine seeds (or they would mint the same binding ids).</summary>
    public static (RedisTestIssuer A, RedisTestIssuer B) Pair(RedisServerFixture redis)
    {
        var cluster = NewCluster();
        var clock = NewClock();
        return (new RedisTestIssuer(redis, cluster, clock, 1), new RedisTestIssuer(redis, cluster, clock, 2));
    }

    /// <summary>Starts the binding through <paramref name="a"/>, confirms it through <paramref name="b"/>; returns the card token.</summary>
    public static string Bind(RedisTestIssuer a, RedisTestIssuer b, CardholderRecord card)
    {
        var start = a.Start(card);
        Assert.Equal("00", start.Code);
        var confirm = b.Engine.ConfirmBinding(start.BindingId, b.LastOtp(card)!, "");
        Assert.Equal("00", confirm.Code);
        return confirm.CardToken;
    }

    public FakeTimeProvider Time { get; }
    public OtpOptions Otp { get; }
    public IConnectionMultiplexer Connection { get; }
    public CardholderRegistry Registry { get; }
    public RedisIssuerState State { get; }
    public SmsGateway Sms { get; }
    public IssuerEngine Engine { get; }

    public CardholderRecord Healthy(int n = 0) => Registry.All.Where(c => c.Persona == Persona.Healthy).Skip(n).First();

    public StartBindingOutcome Start(CardholderRecord c, string key = "") =>
        Engine.StartBinding(c.Pan, c.Expiry, c.Cvv, c.InputHolderName, c.InputIdNumber, c.InputPhone, key);

    public string? LastOtp(CardholderRecord c) => State.Inbox.List(c.Phone).LastOrDefault()?.Otp;

    public void Dispose()
    {
        State.Dispose();
        Connection.Dispose();
    }
}
