using System.CommandLine;
using PaySim.Contracts.CommandLine;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Hosting;

/// <summary>
/// The reference wallet's command line: start N instances against the issuer nodes and serve until Ctrl+C.
/// <see cref="Build"/> and <see cref="ReadOptions"/> give the command tree and the options a command line makes without
/// starting anything (the tests check the commands the docs show with them).
/// </summary>
public sealed class WalletCommandLine
{
    private readonly Option<int> _instances = new Option<int>("--instances") { Description = "Wallet instances (replicas) to start; they share the database.", DefaultValueFactory = _ => WalletDefaults.Instances }.Within(1, WalletOptionsValidator.MaxInstances);
    private readonly Option<int> _port = new Option<int>("--port") { Description = "Port of the first instance; the others take the next ports. 0 = ephemeral.", DefaultValueFactory = _ => WalletDefaults.Port }.Within(0, WalletOptionsValidator.MaxPort);
    private readonly Option<string> _bind = new("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => WalletDefaults.BindAddress };
    private readonly Option<string> _mode = new("--mode") { Description = "Issuer integration: naive or resilient.", DefaultValueFactory = _ => "resilient" };
    private readonly Option<string[]> _issuer = new("--issuer") { Description = "Issuer node URL (repeatable). Default: http://localhost:7101, 7102, 7103.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _db = new("--db") { Description = "SQLite file path.", DefaultValueFactory = _ => WalletDefaults.DatabasePath };
    private readonly Option<string> _policy = new("--policy") { Description = $"Balancing policy (resilient mode): {string.Join(", ", BalancingPolicies.All)}.", DefaultValueFactory = _ => WalletDefaults.BalancingPolicy };
    private readonly Option<string?> _config = new("--config") { Description = "JSON file with any WalletOptions field (docs/wallet.md); the flags above override it." };
    private readonly Option<int> _pbkdf2 = new Option<int>("--hash-iterations", "--password-iterations") { Description = "PBKDF2 iterations for passwords and payment PINs (lower it only for registration-heavy load tests).", DefaultValueFactory = _ => WalletDefaults.PasswordHashIterations }.Within(WalletOptionsValidator.MinHashIterations, WalletOptionsValidator.MaxHashIterations);
    private readonly Option<int> _maxConnections = new Option<int>("--max-connections") { Description = "Open connections one instance accepts at a time; more are closed at once.", DefaultValueFactory = _ => WalletDefaults.MaxConnections }.Within(1, WalletOptionsValidator.MaxConnections);
    private readonly Option<int> _maxBody = new Option<int>("--max-body-bytes") { Description = "Largest request body; a bigger one gets 413 while it streams in.", DefaultValueFactory = _ => WalletDefaults.MaxRequestBodyBytes }.Within(WalletOptionsValidator.MinRequestBodyBytes, WalletOptionsValidator.MaxRequestBodyBytes);
    private readonly Option<string[]> _defect = new("--defect") { Description = $"Plant one integration mistake (repeatable; for proving load-test verdicts, docs/wallet.md): {string.Join(", ", PaySim.Wallet.Defects.WalletDefects.Names)}.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _sms = new("--sms") { Description = "The simulator's SMS gateway URL (password reset codes go out through it). Default: http://localhost:7201." };
    private readonly Option<int> _loginRate = new Option<int>("--login-rate") { Description = "POST /sessions calls per minute per client address and instance (0 = no limit).", DefaultValueFactory = _ => WalletDefaults.LoginRatePerMinute }.Within(0, WalletOptionsValidator.MaxLoginRatePerMinute);

    private WalletCommandLine()
    {
        Root = new RootCommand("PaySim reference wallet: a REST/JSON wallet backend over the simulated issuer nodes (docs/wallet.md).")
        {
            _instances, _port, _bind, _mode, _issuer, _sms, _db, _policy, _pbkdf2, _maxConnections, _maxBody, _loginRate, _defect, _config,
        };
        NumberOptions.Apply(Root);
    }

    private RootCommand Root { get; }

    /// <summary>Parses <paramref name="args"/> and runs the wallet; the process's exit code (0, 2 bad input, 3 not completed).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return BadInput(parsed.Errors[0].Message + " (see --help)");
        }

        // Ctrl+C / SIGTERM cancel the action's token, so the instances stop cleanly and release the database.
        // Output that cannot be written or a fault in the program: one line and exit 3, not the runtime's stack trace.
        return await CommandGuard.RunAsync(() => parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10), EnableDefaultExceptionHandler = false }), Console.Error).ConfigureAwait(false);
    }

    /// <summary>The root command with every flag and its action; numeric flags get the shared parser (<see cref="NumberOptions"/>).</summary>
    public static RootCommand Build()
    {
        var flags = new WalletCommandLine();
        flags.Root.SetAction(async (parse, ct) =>
        {
            WalletOptions options;
            try
            {
                options = flags.Read(parse);
            }
            catch (ArgumentException e) when (e is FlagException or WalletOptionsException)
            {
                return BadInput(e.Message);
            }

            WalletHost host;
            try
            {
                host = await WalletHost.StartAsync(options, ct);
            }
            catch (WalletOptionsException e)
            {
                return BadInput(e.Message);
            }
            catch (IOException e)
            {
                return BadInput(e.Message);
            }

            await using (host)
            {
                try
                {
                    foreach (var instance in host.Instances)
                    {
                        Console.WriteLine($"{instance.Name} listening on {instance.Uri} (mode {options.Mode.ToString().ToLowerInvariant()}, policy {options.BalancingPolicy}, db {host.DatabasePath})");
                    }
                }
                catch (IOException)
                {
                    // The start could not be announced (stdout on a full device): a wallet nobody heard of is undone like a
                    // start that failed, with the database this start created; the guard prints why and exits 3.
                    await host.AbandonAsync();
                    throw;
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });

        return flags.Root;
    }

    /// <summary>
    /// The options <paramref name="args"/> give, validated as a start would, without starting: throws
    /// <see cref="ArgumentException"/> with the line a start prints (a parse error, a bad flag value, bad options).
    /// </summary>
    public static WalletOptions ReadOptions(string[] args)
    {
        var flags = new WalletCommandLine();
        var parsed = flags.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            throw new ArgumentException(parsed.Errors[0].Message, nameof(args));
        }

        var options = flags.Read(parsed);
        WalletOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    // The options a parsed command line gives: the --config file's, then every flag given over it. A bad flag value
    // throws FlagException (the line to print), a bad file WalletOptionsException; WalletHost validates the result.
    private WalletOptions Read(ParseResult parse)
    {
        if (!IssuerIntegrations.TryParseMode(parse.GetValue(_mode), out var walletMode))
        {
            throw new FlagException($"--mode must be naive or resilient (got '{parse.GetValue(_mode)}')");
        }

        var issuerUris = new List<Uri>();
        foreach (var raw in parse.GetValue(_issuer) ?? [])
        {
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri))
            {
                throw new FlagException(WalletOptionsValidator.UnreadableUrlPort(raw) is { } port
                    ? $"--issuer: {port} (got '{raw}')"
                    : $"--issuer must be an absolute URL like http://localhost:7101 (got '{raw}')");
            }

            issuerUris.Add(uri);
        }

        var options = parse.GetValue(_config) is { } file ? WalletOptionsFile.Load(file) : new WalletOptions();

        // A flag given on the command line wins over the file; an absent flag leaves the file's value.
        T Pick<T>(Option<T> option, T current) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : current;
        options.Instances = Pick(_instances, options.Instances);
        options.Port = Pick(_port, options.Port);
        options.BindAddress = Pick(_bind, options.BindAddress);
        options.Mode = parse.GetResult(_mode) is { Implicit: false } ? walletMode : options.Mode;
        options.IssuerUris = issuerUris.Count > 0 ? issuerUris : options.IssuerUris;
        if (parse.GetValue(_sms) is { } smsText)
        {
            if (!Uri.TryCreate(smsText, UriKind.Absolute, out var smsUri))
            {
                throw new FlagException(WalletOptionsValidator.UnreadableUrlPort(smsText) is { } port
                    ? $"--sms: {port} (got '{smsText}')"
                    : $"--sms must be an absolute URL like http://localhost:7201 (got '{smsText}')");
            }

            options.SmsGatewayUri = smsUri;
        }

        options.DatabasePath = Pick(_db, options.DatabasePath);
        options.BalancingPolicy = Pick(_policy, options.BalancingPolicy);
        options.PasswordHashIterations = Pick(_pbkdf2, options.PasswordHashIterations);
        options.PinHashIterations = Pick(_pbkdf2, options.PinHashIterations);
        options.MaxConnections = Pick(_maxConnections, options.MaxConnections);
        options.MaxRequestBodyBytes = Pick(_maxBody, options.MaxRequestBodyBytes);
        options.LoginRatePerMinute = Pick(_loginRate, options.LoginRatePerMinute);
        if (parse.GetValue(_defect) is { Length: > 0 } defects)
        {
            options.Defects = defects;
        }

        return options;
    }

    // Bad input, as on the simulator's and the load tests' command lines: one line on stderr that starts "error: ", exit 2.
    private static int BadInput(string line)
    {
        Console.Error.WriteLine("error: " + line);
        return 2;
    }

    private sealed class FlagException(string message) : ArgumentException(message);
}
