using System.Collections.Concurrent;

namespace PaySim.LoadTests.Scenarios;

/// <summary>Figures the engine does not keep: binding and step-up outcomes by cause, risk declines by cause and wallet calls that need the issuer.</summary>
internal sealed class RunCounters
{
    public const string Bound = "bound";

    /// <summary>The password-reset outcome that is no failure: reset, logged in with the new password, old session gone.</summary>
    public const string Reset = "reset";

    private readonly ConcurrentDictionary<string, long> _bindOutcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _resetOutcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _walletCalls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _riskDeclines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stepUpOutcomes = new(StringComparer.Ordinal);
    private long _resends;
    private long _boundAfterResend;

    /// <summary>Final outcome of each binding attempt during the measured run: "bound" or the wallet error code.</summary>
    public IReadOnlyDictionary<string, long> BindOutcomes => new SortedDictionary<string, long>(_bindOutcomes, StringComparer.Ordinal);

    /// <summary>Final outcome of each step-up payment during the measured run: <see cref="StepUpCauses.Authenticated"/> or its cause.</summary>
    public IReadOnlyDictionary<string, long> StepUpOutcomes => new SortedDictionary<string, long>(_stepUpOutcomes, StringComparer.Ordinal);

    /// <summary>Final outcome of each password reset during the measured run: "reset" or the cause (<see cref="PasswordResetCause"/>).</summary>
    public IReadOnlyDictionary<string, long> ResetOutcomes => new SortedDictionary<string, long>(_resetOutcomes, StringComparer.Ordinal);

    /// <summary>Wallet calls that reached the wallet (any HTTP reply), by step name.</summary>
    public IReadOnlyDictionary<string, long> WalletCalls => new SortedDictionary<string, long>(_walletCalls, StringComparer.Ordinal);

    /// <summary>Payments the issuer's risk rules declined during the measured run, by cause (<c>Claims.RiskCauses</c>).</summary>
    public IReadOnlyDictionary<string, long> RiskDeclines => new SortedDictionary<string, long>(_riskDeclines, StringComparer.Ordinal);

    /// <summary>OTP resends the wallet accepted (2xx to <c>POST /cards/bind/{id}/resend</c>) during the measured run.</summary>
    public long Resends => Interlocked.Read(ref _resends);

    /// <summary>Bindings that ended bound with a code that arrived after an accepted resend: without the resend they would have timed out.</summary>
    public long BoundAfterResend => Interlocked.Read(ref _boundAfterResend);

    /// <summary>Off during set-up (pre-binding cards), on while the load runs.</summary>
    public bool Recording { get; set; }

    public void Bind(string outcome)
    {
        if (Recording)
        {
            _bindOutcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }
    }

    public void StepUp(string outcome)
    {
        if (Recording)
        {
            _stepUpOutcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }
    }

    public void PasswordReset(string outcome)
    {
        if (Recording)
        {
            _resetOutcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        }
    }

    public void Resent()
    {
        if (Recording)
        {
            Interlocked.Increment(ref _resends);
        }
    }

    public void BoundThanksToResend()
    {
        if (Recording)
        {
            Interlocked.Increment(ref _boundAfterResend);
        }
    }

    public void RiskDecline(string cause)
    {
        if (Recording)
        {
            _riskDeclines.AddOrUpdate(cause, 1, (_, n) => n + 1);
        }
    }

    public void WalletCall(string step, int httpStatus)
    {
        if (Recording && httpStatus > 0)
        {
            _walletCalls.AddOrUpdate(step, 1, (_, n) => n + 1);
        }
    }
}
