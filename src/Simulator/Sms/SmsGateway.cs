using System.Collections.Concurrent;
using System.Globalization;
using PaySim.Simulator.Cardholders;

namespace PaySim.Simulator.Sms;

/// <summary>
/// Accepts messages and delivers them to inboxes: at once, after the slow-sms delay (a TimeProvider
/// timer, so tests move a FakeTimeProvider instead of waiting), or never for unreachable phones.
/// </summary>
internal sealed class SmsGateway(
    ICardholderRegistry registry,
    ISmsInbox inbox,
    TimeProvider time,
    TimeSpan slowSmsDelay,
    ISmsDeliveryPolicy? policy = null)
{
    public static readonly TimeSpan DefaultSlowSmsDelay = TimeSpan.FromSeconds(8);

    private readonly ConcurrentDictionary<long, ITimer> _pending = new();
    private long _sequence;

    public ISmsDeliveryPolicy Policy { get; set; } = policy ?? NoSmsFaults.Instance;

    /// <summary>Message ids are "&lt;prefix&gt;&lt;n&gt;"; processes sharing one inbox (Redis) use distinct prefixes so ids stay unique.</summary>
    public string IdPrefix { get; init; } = "sms_";

    /// <summary>Sends one message of <paramref name="kind"/> (<see cref="SmsKinds"/>): persona and SMS fault rules apply to every kind.</summary>
    public SmsSendOutcome Send(string phone, string text, string sender, string correlationId, string kind = SmsKinds.Otp)
    {
        var n = Interlocked.Increment(ref _sequence);
        var id = IdPrefix + n.ToString("x10", CultureInfo.InvariantCulture);
        var persona = registry.FindByPhone(phone)?.Persona;
        if (persona == Persona.SmsUnreachable)
        {
            return new SmsSendOutcome(id, false, "unreachable");
        }

        var plan = persona == Persona.SlowSms ? new SmsDeliveryPlan(slowSmsDelay, false, 1) : SmsDeliveryPlan.Immediate;
        plan = Policy.Adjust(phone, correlationId, plan);
        if (plan.Drop || plan.Copies <= 0)
        {
            return new SmsSendOutcome(id, true, "dropped");
        }

        var sentAt = time.GetUtcNow();
        if (plan.Delay <= TimeSpan.Zero)
        {
            Deliver(id, phone, text, sender, correlationId, sentAt, plan.Copies, kind);
        }
        else
        {
            var timer = time.CreateTimer(
                _ =>
                {
                    if (_pending.TryRemove(n, out var t))
                    {
                        t.Dispose();
                        Deliver(id, phone, text, sender, correlationId, sentAt, plan.Copies, kind);
                    }
                },
                null,
                Timeout.InfiniteTimeSpan,
                Timeout.InfiniteTimeSpan);
            _pending[n] = timer;
            // Armed after registration so a zero-ish delay cannot fire before the timer is tracked.
            timer.Change(plan.Delay, Timeout.InfiniteTimeSpan);
        }

        return new SmsSendOutcome(id, true, "queued");
    }

    /// <summary>Forgets messages still in flight (reset).</summary>
    public void CancelPending()
    {
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var t))
            {
                t.Dispose();
            }
        }
    }

    private void Deliver(string id, string phone, string text, string sender, string correlationId, DateTimeOffset sentAt, int copies, string kind)
    {
        for (var i = 0; i < copies; i++)
        {
            inbox.Deliver(i == 0 ? id : id + "-" + i.ToString(CultureInfo.InvariantCulture), phone, text, sender, correlationId, sentAt, time.GetUtcNow(), kind);
        }
    }
}
