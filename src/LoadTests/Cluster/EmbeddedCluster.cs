using PaySim.LoadTests.Plans;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// The simulator (issuer nodes, SMS gateway, control plane) in this process and every wallet instance in a child
/// process of its own (so a plan can SIGKILL or SIGSTOP one), every port ephemeral, the instances' shared SQLite
/// file in a temp folder deleted afterwards.
/// </summary>
internal sealed class EmbeddedCluster : ITargetCluster
{
    /// <summary>Load tests register many users; full-strength password hashing would measure PBKDF2, not the integration.</summary>
    private const int LoadTestHashIterations = 1_000;

    /// <summary>The registry share a persona the plan names gets when it has none by default (the risk personas): 250 of 5,000 cardholders.</summary>
    private const double AddedPersonaWeight = 0.05;

    private readonly SimulatorHost _simulator;
    private readonly IReadOnlyList<WalletProcess> _wallets;
    private readonly string _databasePath;

    private EmbeddedCluster(SimulatorHost simulator, IReadOnlyList<WalletProcess> wallets, string databasePath, string mode)
    {
        _simulator = simulator;
        _wallets = wallets;
        _databasePath = databasePath;
        WalletMode = mode;
        WalletUrls = wallets.Select(w => w.Uri).ToArray();
        WalletInstanceNames = wallets.Select(w => (string?)w.Name).ToArray();
        WalletControl = new ProcessWalletControl(wallets);
    }

    public string Kind => "embedded";

    public IReadOnlyList<Uri> WalletUrls { get; }

    public IReadOnlyList<string?> WalletInstanceNames { get; }

    public IReadOnlyList<string> IssuerNodeNames => _simulator.IssuerNodes.Select(n => n.Name).ToArray();

    public Uri ControlUri => _simulator.ControlUri;

    public Uri SmsUri => _simulator.SmsUri;

    public string? WalletMode { get; }

    public IWalletInstanceControl? WalletControl { get; }

    /// <param name="resendCooldown">
    /// The issuer's minimum interval between OTPs of one binding. Plans compress a user's minute-long SMS wait
    /// into seconds (client.smsTimeout); the cooldown is compressed with it, so the app's "resend" works when its
    /// wait ends, as in a real app whose countdown matches the bank's cooldown.
    /// </param>
    /// <param name="personas">
    /// The personas the plan signs users up with: one without a default share in the registry (the risk personas) gets a
    /// small one, so the simulator has cardholders of it; plans that name none keep every seed's cardholders as they were.
    /// </param>
    public static async Task<EmbeddedCluster> StartAsync(EmbeddedTarget target, int seed, TimeSpan resendCooldown, IEnumerable<string> personas, CancellationToken cancellationToken)
    {
        var weights = Personas.DefaultWeights();
        foreach (var persona in personas)
        {
            if (weights.TryGetValue(persona, out var weight) && weight == 0)
            {
                weights[persona] = AddedPersonaWeight;
            }
        }

        var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            PersonaWeights = weights,
            Nodes = target.Nodes,
            IssuerPort = 0,
            SmsPort = 0,
            ControlPort = 0,
            Seed = seed,
            Cardholders = 5_000,
            ResendCooldown = resendCooldown,
        }, cancellationToken).ConfigureAwait(false);

        var databasePath = Path.Combine(Path.GetTempPath(), $"paysim-loadtests-{Guid.NewGuid():N}.db");
        var wallets = new List<WalletProcess>();
        try
        {
            var template = new WalletOptions
            {
                Port = 0,
                Mode = target.WalletMode == WalletModeName.Naive ? PaySim.Wallet.Configuration.WalletMode.Naive : PaySim.Wallet.Configuration.WalletMode.Resilient,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                SmsGatewayUri = simulator.SmsUri,
                DatabasePath = databasePath,
                BalancingPolicy = target.BalancingPolicy,
                PasswordHashIterations = LoadTestHashIterations,
                PinHashIterations = LoadTestHashIterations,
                Seed = seed,
                Defects = target.Defects,
                // The run's own report tells the story; per-node health chatter would bury the progress lines.
                MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error,
            };

            // The first instance creates the database file and its schema; the others then start side by side.
            wallets.Add(await WalletProcess.StartAsync(template, 1, cancellationToken).ConfigureAwait(false));
            var others = Enumerable.Range(2, target.WalletInstances - 1).Select(n => WalletProcess.StartAsync(template, n, cancellationToken)).ToArray();
            try
            {
                await Task.WhenAll(others).ConfigureAwait(false);
            }
            finally
            {
                wallets.AddRange(others.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            return new EmbeddedCluster(simulator, wallets, databasePath, target.WalletMode);
        }
        catch
        {
            foreach (var wallet in wallets)
            {
                await wallet.DisposeAsync().ConfigureAwait(false);
            }

            await simulator.DisposeAsync().ConfigureAwait(false);
            DeleteDatabase(databasePath);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var wallet in _wallets)
        {
            await wallet.DisposeAsync().ConfigureAwait(false);
        }

        await _simulator.DisposeAsync().ConfigureAwait(false);
        DeleteDatabase(_databasePath);
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a file still held open is left in the temp folder rather than failing the run.
            }
        }
    }
}
