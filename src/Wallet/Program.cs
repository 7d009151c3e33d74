using System.CommandLine;
using PaySim.Contracts.CommandLine;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

// The reference wallet's command line: start N instances against the issuer nodes and serve until Ctrl+C.
var instances = new Option<int>("--instances") { Description = "Wallet instances (replicas) to start; they share the database.", DefaultValueFactory = _ => WalletDefaults.Instances };
var port = new Option<int>("--port") { Description = "Port of the first instance; the others take the next ports. 0 = ephemeral.", DefaultValueFactory = _ => WalletDefaults.Port };
var bind = new Option<string>("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => WalletDefaults.BindAddress };
var mode = new Option<string>("--mode") { Description = "Issuer integration: naive or resilient.", DefaultValueFactory = _ => "resilient" };
var issuer = new Option<string[]>("--issuer") { Description = "Issuer node URL (repeatable). Default: http://localhost:7101, 7102, 7103.", AllowMultipleArgumentsPerToken = false };
var db = new Option<string>("--db") { Description = "SQLite file path.", DefaultValueFactory = _ => WalletDefaults.DatabasePath };
var policy = new Option<string>("--policy") { Description = $"Balancing policy (resilient mode): {string.Join(", ", BalancingPolicies.All)}.", DefaultValueFactory = _ => WalletDefaults.BalancingPolicy };
var config = new Option<string?>("--config") { Description = "JSON file with any WalletOptions field (docs/wallet.md); the flags above override it." };
var pbkdf2 = new Option<int>("--hash-iterations", "--password-iterations") { Description = "PBKDF2 iterations for passwords and payment PINs (lower it only for registration-heavy load tests).", DefaultValueFactory = _ => WalletDefaults.PasswordHashIterations };
var maxConnections = new Option<int>("--max-connections") { Description = "Open connections one instance accepts at a time; more are closed at once.", DefaultValueFactory = _ => WalletDefaults.MaxConnections };
var maxBody = new Option<int>("--max-body-bytes") { Description = "Largest request body; a bigger one gets 413 while it streams in.", DefaultValueFactory = _ => WalletDefaults.MaxRequestBodyBytes };
var defect = new Option<string[]>("--defect") { Description = $"Plant one integration mistake (repeatable; for proving load-test verdicts, docs/wallet.md): {string.Join(", ", PaySim.Wallet.Defects.WalletDefects.Names)}.", AllowMultipleArgumentsPerToken = false };
var sms = new Option<string?>("--sms") { Description = "The simulator's SMS gateway URL (password reset codes go out through it). Default: http://localhost:7201." };
var loginRate = new Option<int>("--login-rate") { Description = "POST /sessions calls per minute per client address and instance (0 = no limit).", DefaultValueFactory = _ => WalletDefaults.LoginRatePerMinute };

var root = new RootCommand("PaySim reference wallet: a REST/JSON wallet backend over the simulated issuer nodes (docs/wallet.md).")
{
    instances, port, bind, mode, issuer, sms, db, policy, pbkdf2, maxConnections, maxBody, loginRate, defect, config,
};

root.SetAction(async (parse, ct) =>
{
    if (!IssuerIntegrations.TryParseMode(parse.GetValue(mode), out var walletMode))
    {
        return BadInput($"--mode must be naive or resilient (got '{parse.GetValue(mode)}')");
    }

    var issuerUris = new List<Uri>();
    foreach (var raw in parse.GetValue(issuer) ?? [])
    {
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri))
        {
            return BadInput($"--issuer must be an absolute URL like http://localhost:7101 (got '{raw}')");
        }

        issuerUris.Add(uri);
    }

    WalletOptions options;
    try
    {
        options = parse.GetValue(config) is { } file ? WalletOptionsFile.Load(file) : new WalletOptions();
    }
    catch (WalletOptionsException e)
    {
        return BadInput(e.Message);
    }

    // A flag given on the command line wins over the file; an absent flag leaves the file's value.
    T Pick<T>(Option<T> option, T current) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : current;
    options.Instances = Pick(instances, options.Instances);
    options.Port = Pick(port, options.Port);
    options.BindAddress = Pick(bind, options.BindAddress);
    options.Mode = parse.GetResult(mode) is { Implicit: false } ? walletMode : options.Mode;
    options.IssuerUris = issuerUris.Count > 0 ? issuerUris : options.IssuerUris;
    if (parse.GetValue(sms) is { } smsText)
    {
        if (!Uri.TryCreate(smsText, UriKind.Absolute, out var smsUri))
        {
            return BadInput($"--sms must be an absolute URL like http://localhost:7201 (got '{smsText}')");
        }

        options.SmsGatewayUri = smsUri;
    }

    options.DatabasePath = Pick(db, options.DatabasePath);
    options.BalancingPolicy = Pick(policy, options.BalancingPolicy);
    options.PasswordHashIterations = Pick(pbkdf2, options.PasswordHashIterations);
    options.PinHashIterations = Pick(pbkdf2, options.PinHashIterations);
    options.MaxConnections = Pick(maxConnections, options.MaxConnections);
    options.MaxRequestBodyBytes = Pick(maxBody, options.MaxRequestBodyBytes);
    options.LoginRatePerMinute = Pick(loginRate, options.LoginRatePerMinute);
    if (parse.GetValue(defect) is { Length: > 0 } defects)
    {
        options.Defects = defects;
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

NumberOptions.Apply(root);
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    return BadInput(parsed.Errors[0].Message + " (see --help)");
}

// Ctrl+C / SIGTERM cancel the action's token, so the instances stop cleanly and release the database.
// Output that cannot be written or a fault in the program: one line and exit 3, not the runtime's stack trace.
return await CommandGuard.RunAsync(() => parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10), EnableDefaultExceptionHandler = false }), Console.Error);

// Bad input, as on the simulator's and the load tests' command lines: one line on stderr that starts "error: ", exit 2.
static int BadInput(string line)
{
    Console.Error.WriteLine("error: " + line);
    return 2;
}
