using System.Text.RegularExpressions;

namespace PaySim.Simulator.State.Redis;

/// <summary>Where the shared issuer state lives and how long cross-process coordination may wait.</summary>
internal sealed partial record RedisStateOptions
{
    public const string DefaultCluster = "default";

    /// <summary>StackExchange.Redis configuration, e.g. "127.0.0.1:6379".</summary>
    public required string Endpoint { get; init; }

    /// <summary>Simulator "cluster" name: processes with the same name share one issuer; Reset clears only it.</summary>
    public string Cluster { get; init; } = DefaultCluster;

    /// <summary>How long an idempotent call waits for another process to finish the same key (wall clock).</summary>
    public TimeSpan IdempotencyWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A claimed key whose owner has not finished after this long may be taken over (the owner died).</summary>
    public TimeSpan IdempotencyLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Redis TTL of finished idempotency entries, OTPs and inboxes: garbage collection only.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Fallback re-check interval when a pub/sub notification is lost (reconnect).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Parses "redis://host:port" (the value of --state); anything else is a user error naming the allowed values.</summary>
    public static bool TryParse(string value, out RedisStateOptions? options, out string error)
    {
        options = null;
        error = "";
        var m = UrlPattern().Match(value ?? "");
        if (!m.Success)
        {
            error = $"--state '{value}' is not valid; allowed: memory, redis://host:port";
            return false;
        }

        var port = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
        {
            error = $"--state '{value}' has port {port}; allowed: 1-65535";
            return false;
        }

        options = new RedisStateOptions { Endpoint = m.Groups["host"].Value + ":" + port };
        return true;
    }

    public static bool IsValidCluster(string cluster) => ClusterPattern().IsMatch(cluster ?? "");

    [GeneratedRegex(@"^redis://(?<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?<port>\d{1,5})/?$")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,64}$")]
    private static partial Regex ClusterPattern();
}
