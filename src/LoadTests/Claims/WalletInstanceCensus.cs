using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// Which wallet instances the fairness figures count (docs/plans.md, "Claims"): every name seen in X-Served-By, and
/// every instance the run was given (each --wallet-url, each embedded instance) at zero replies when none of its
/// replies named it, so a wallet where one instance answers everything cannot score an even spread.
/// </summary>
internal static class WalletInstanceCensus
{
    /// <summary>The prefix of an instance the run was given but cannot name (an adapter that does not say which URL answered).</summary>
    public const string UnnamedPrefix = "no-reply-";

    /// <param name="given">The instances the run was given, one per wallet URL.</param>
    /// <param name="replies">Replies during the run per X-Served-By name; a name seen only before the run has 0.</param>
    /// <param name="urlsByName">Which given URLs each name answered through; null when the wallet client cannot tell.</param>
    public static IReadOnlyList<WalletInstanceCount> Count(
        IReadOnlyList<GivenWalletInstance> given,
        IReadOnlyDictionary<string, long> replies,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>>? urlsByName)
    {
        var result = replies.Select(kv => new WalletInstanceCount(
            kv.Key, kv.Value, true, (urlsByName?.GetValueOrDefault(kv.Key) ?? []).Order(StringComparer.Ordinal).ToArray())).ToList();
        var unclaimed = new HashSet<string>(replies.Keys, StringComparer.Ordinal);
        var unknown = 0;
        foreach (var instance in given)
        {
            if (instance.Name is { } name)
            {
                if (!replies.ContainsKey(name))
                {
                    result.Add(new WalletInstanceCount(name, 0, false, [instance.Url]));
                }

                unclaimed.Remove(name);
            }
            else if (urlsByName is not null)
            {
                var names = urlsByName.Where(kv => kv.Value.Contains(instance.Url, StringComparer.Ordinal) && replies.ContainsKey(kv.Key)).Select(kv => kv.Key).ToArray();
                if (names.Length == 0)
                {
                    result.Add(new WalletInstanceCount(instance.Url, 0, false, [instance.Url]));
                }

                unclaimed.ExceptWith(names);
            }
            else
            {
                unknown++;
            }
        }

        // Without knowing which URL a name answered through, a given instance is missing when fewer names than URLs answered.
        for (var i = 1; i <= unknown - unclaimed.Count; i++)
        {
            result.Add(new WalletInstanceCount(UnnamedPrefix + i, 0, false, []));
        }

        return result.OrderBy(w => w.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>summary.json's <c>walletInstances</c> entry.</summary>
    public static JsonObject ToJson(WalletInstanceCount instance, long total, Func<double?, double?> round)
    {
        var json = new JsonObject
        {
            ["name"] = instance.Name,
            ["replies"] = instance.Replies,
            ["share"] = round(total == 0 ? null : (double)instance.Replies / total),
            ["answered"] = instance.Answered,
        };
        if (instance.Urls.Count > 0)
        {
            json["urls"] = new JsonArray(instance.Urls.Select(u => (JsonNode?)u).ToArray());
        }

        return json;
    }

    /// <summary>
    /// The instances of several shards' summaries together: replies add by name, and the given instances (shard 1's
    /// target) are counted again over what all shards saw, so an instance one shard never reached but another did is
    /// not counted twice.
    /// </summary>
    public static IReadOnlyList<WalletInstanceCount> Merge(IEnumerable<JsonArray?> shardInstances, JsonObject? target)
    {
        var replies = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var urls = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var w in shardInstances.SelectMany(a => a ?? []).OfType<JsonObject>())
        {
            // Summaries written before the census have no "answered": every entry was a name that answered.
            if (w["answered"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var name = w["name"]!.GetValue<string>();
            replies[name] = replies.GetValueOrDefault(name) + w["replies"]!.GetValue<long>();
            var set = urls.TryGetValue(name, out var s) ? s : urls[name] = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith((w["urls"] as JsonArray ?? []).Select(u => u!.GetValue<string>()));
        }

        return Count(Given(target), replies, urls.Values.Any(u => u.Count > 0) ? urls.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value, StringComparer.Ordinal) : null);
    }

    /// <summary>summary.json's <c>target</c> back to the instances the run was given (none for summaries without it).</summary>
    public static IReadOnlyList<GivenWalletInstance> Given(JsonObject? target)
    {
        var urls = (target?["walletUrls"] as JsonArray ?? []).Select(u => u!.GetValue<string>()).ToArray();
        var names = target?["walletInstanceNames"] as JsonArray;
        return urls.Select((u, i) => new GivenWalletInstance(u, names is not null && i < names.Count ? names[i]?.GetValue<string>() : null)).ToArray();
    }
}
