using BenchmarkDotNet.Attributes;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// The issuer's Authorize behind the gRPC layer (<see cref="IssuerEngine"/>, in-memory state,
/// a bound magic "00" card): a hold without an idempotency key, a hold with a fresh key, and the
/// replay of a key already used; against the lookups every Authorize starts with (token → PAN →
/// cardholder → available balance). State is reset before each iteration so holds do not pile up.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class AuthorizeDomainBenchmarks
{
    private const int Invocations = 16_384;
    private readonly string[] _keys = Enumerable.Range(0, Invocations).Select(i => "key-" + i).ToArray();
    private IIssuerState _state = null!;
    private IssuerEngine _engine = null!;
    private string _token = string.Empty;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var otp = new OtpOptions();
        var registry = CardholderRegistry.Create(42, 1000);
        _state = new InMemoryIssuerState(registry, otp, time);
        var sms = new SmsGateway(registry, _state.Inbox, time, SmsGateway.DefaultSlowSmsDelay);
        _engine = new IssuerEngine(_state, sms, otp, time, new SeededRandom(42));
    }

    [IterationSetup]
    public void Bind()
    {
        _state.Reset();
        _i = 0;
        var card = MagicCards.All.First(c => c.ExpectedResponseCode == "00");
        var started = _engine.StartBinding(card.Pan, card.Expiry, card.Cvv, card.HolderName, card.IdNumber, card.Phone, "");
        var otp = _state.Inbox.List(card.Phone)[^1].Otp;
        var confirmed = _engine.ConfirmBinding(started.BindingId, otp, "");
        _token = confirmed.CardToken;
        _engine.Authorize(_token, 1, "CNY", "m-bench", "", "replayed");
        if (string.IsNullOrEmpty(_token))
        {
            throw new InvalidOperationException($"binding failed: {started.Code} / {confirmed.Code}");
        }
    }

    [Benchmark(Baseline = true, Description = "lookups only (token, card, balance)")]
    public long Lookups()
    {
        var pan = _state.Bindings.ResolveToken(_token)!;
        var card = _state.Cardholders.FindByPan(pan)!;
        return _state.Ledger.AvailableMinor(card.Pan);
    }

    [Benchmark(Description = "Authorize, no idempotency key")]
    public string AuthorizeNoKey() => _engine.Authorize(_token, 1, "CNY", "m-bench", "", "").Code;

    [Benchmark(Description = "Authorize, fresh key")]
    public string AuthorizeFreshKey() => _engine.Authorize(_token, 1, "CNY", "m-bench", "", _keys[_i++]).Code;

    [Benchmark(Description = "Authorize, replayed key")]
    public string AuthorizeReplay() => _engine.Authorize(_token, 1, "CNY", "m-bench", "", "replayed").Code;
}
