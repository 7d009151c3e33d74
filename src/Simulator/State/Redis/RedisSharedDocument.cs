using StackExchange.Redis;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// One JSON document shared by every process of a cluster (the applied fault rules, the node states):
/// <see cref="Publish"/> stores it with a version and announces it; every other process gets it through
/// its callback and applies it locally. A process never receives its own publications, so applying a
/// remote change locally cannot echo back. Late joiners call <see cref="Read"/> at start-up.
/// </summary>
internal sealed class RedisSharedDocument : IDisposable
{
    private const string PublishScript = """
        local v = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('PUBLISH', ARGV[2], ARGV[3] .. '|' .. v)
        return v
        """;

    // Publish only if nobody published since the caller read the document (compare-and-set on the version).
    private const string UpdateScript = """
        local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
        if seen ~= tonumber(ARGV[4]) then
          return -1
        end
        local v = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('PUBLISH', ARGV[2], ARGV[3] .. '|' .. v)
        return v
        """;

    private const int MaxUpdateAttempts = 100;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _document;
    private readonly RedisKey _version;
    private readonly RedisChannel _channel;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Action<string, long> _onRemoteChange;
    private long _seen;

    public RedisSharedDocument(IConnectionMultiplexer redis, RedisKeys keys, string name, Action<string, long> onRemoteChange)
    {
        _redis = redis;
        _document = keys.Root + "doc:" + name;
        _version = keys.Root + "seq:doc:" + name;
        _channel = RedisChannel.Literal(keys.Root + "doc-changed:" + name);
        _onRemoteChange = onRemoteChange;
        _redis.GetSubscriber().Subscribe(_channel, OnMessage);
    }

    /// <summary>Stores the document and tells the other processes; returns its version.</summary>
    public long Publish(string json)
    {
        var v = (long)_redis.GetDatabase().ScriptEvaluate(PublishScript, [_document, _version], [json, _channel.ToString(), _origin]);
        InterlockedMax(v);
        return v;
    }

    /// <summary>
    /// Read-modify-write for documents that several processes edit piecewise (one entry per node): the change
    /// is computed from the current document and published only if no other process published meanwhile,
    /// otherwise it is recomputed. Returns the document as stored and its version.
    /// </summary>
    /// <exception cref="InvalidOperationException">Still contended after 100 attempts.</exception>
    public (string Json, long Version) Update(Func<string?, string> change)
    {
        var db = _redis.GetDatabase();
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var (current, version) = Read();
            var json = change(current);
            var v = (long)db.ScriptEvaluate(UpdateScript, [_document, _version], [json, _channel.ToString(), _origin, version]);
            if (v > 0)
            {
                InterlockedMax(v);
                return (json, v);
            }
        }

        throw new InvalidOperationException($"shared document {_document} is changed by other processes faster than it can be updated");
    }

    /// <summary>The current document (null when none was published since the last Reset) and its version.</summary>
    public (string? Json, long Version) Read()
    {
        var db = _redis.GetDatabase();
        var values = db.StringGet([_document, _version]);
        return (values[0].IsNull ? null : (string?)values[0], values[1].IsNull ? 0 : (long)values[1]);
    }

    public void Dispose() => _redis.GetSubscriber().Unsubscribe(_channel, OnMessage);

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message ?? "";
        var bar = text.LastIndexOf('|');
        if (bar <= 0 || text.AsSpan(0, bar).SequenceEqual(_origin) || !long.TryParse(text.AsSpan(bar + 1), out var version))
        {
            return;
        }

        // Notifications may arrive out of order: apply only what is newer than what this process has, and read
        // the document itself, so a burst of changes ends in the latest one.
        if (version <= Interlocked.Read(ref _seen))
        {
            return;
        }

        var (json, current) = Read();
        if (json is not null && InterlockedMax(current))
        {
            _onRemoteChange(json, current);
        }
    }

    private bool InterlockedMax(long version)
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _seen);
            if (version <= seen)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _seen, version, seen) == seen)
            {
                return true;
            }
        }
    }
}
