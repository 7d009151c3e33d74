using System.Collections.Concurrent;

namespace PaySim.Simulator.Sms;

internal sealed class InMemorySmsInbox(TimeProvider time) : ISmsInbox
{
    private readonly ConcurrentDictionary<string, Mailbox> _boxes = new(StringComparer.Ordinal);

    public SmsMessageRecord Deliver(string messageId, string phone, string text, string sender, string correlationId, DateTimeOffset sentAt, DateTimeOffset deliveredAt, string kind = SmsKinds.Otp)
    {
        var box = _boxes.GetOrAdd(phone, static _ => new Mailbox());
        TaskCompletionSource signal;
        SmsMessageRecord record;
        lock (box)
        {
            record = new SmsMessageRecord(messageId, phone, text, kind == SmsKinds.Otp ? SmsText.ParseOtp(text) : "", sender, sentAt, deliveredAt, ++box.LastSequence, correlationId, kind);
            box.Messages.Add(record);
            signal = box.Signal;
            box.Signal = NewSignal();
        }

        signal.TrySetResult();
        return record;
    }

    public IReadOnlyList<SmsMessageRecord> List(string phone, int limit = 0)
    {
        if (!_boxes.TryGetValue(phone, out var box))
        {
            return [];
        }

        lock (box)
        {
            return limit > 0 && limit < box.Messages.Count ? box.Messages[^limit..] : box.Messages.ToArray();
        }
    }

    public long LastSequence(string phone)
    {
        if (!_boxes.TryGetValue(phone, out var box))
        {
            return 0;
        }

        lock (box)
        {
            return box.LastSequence;
        }
    }

    public async Task<SmsMessageRecord?> WaitAsync(string phone, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken, string kind = SmsKinds.Any)
    {
        var box = _boxes.GetOrAdd(phone, static _ => new Mailbox());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(timeout, time, cts.Token);
        try
        {
            while (true)
            {
                Task signal;
                lock (box)
                {
                    foreach (var m in box.Messages)
                    {
                        if (m.Sequence > afterSequence && SmsKinds.Matches(m.Kind, kind))
                        {
                            return m;
                        }
                    }

                    signal = box.Signal.Task;
                }

                var done = await Task.WhenAny(signal, deadline).ConfigureAwait(false);
                if (done == deadline)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return null;
                }
            }
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Clear()
    {
        foreach (var box in _boxes.Values)
        {
            lock (box)
            {
                box.Messages.Clear();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Mailbox
    {
        public readonly List<SmsMessageRecord> Messages = [];
        public long LastSequence;
        public TaskCompletionSource Signal = NewSignal();
    }
}
