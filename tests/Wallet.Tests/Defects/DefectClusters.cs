using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.EndToEnd;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>A real simulator and a resilient wallet with one planted defect (or none), and a user with a bound card.</summary>
internal static class DefectClusters
{
    public static Task<Cluster> StartAsync(string? defect, Action<WalletOptions>? wallet = null) =>
        Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.Defects = defect is null ? [] : [defect];
            wallet?.Invoke(o);
        });

    public static async Task<WalletClient> BoundUserAsync(Cluster cluster)
    {
        var client = await cluster.NewUserAsync();
        await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        return client;
    }

    public static async Task ApplyAsync(Cluster cluster, object rule)
    {
        using var applied = await cluster.ApplyFaultAsync(rule);
        Assert.True(applied.IsSuccessStatusCode, $"{(int)applied.StatusCode} {await applied.Content.ReadAsStringAsync()}");
    }

    public static long Total(this IReadOnlyDictionary<string, long> calls) => calls.Values.Sum();

    public static long Delta(this IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before, string node) => after[node] - before[node];

    public static string Outcome(this WalletClient.Reply reply) =>
        reply.Status is HttpStatusCode.Created or HttpStatusCode.OK ? ((int)reply.Status).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{(int)reply.Status} {reply.ErrorCode}";
}
