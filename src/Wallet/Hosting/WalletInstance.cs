using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Api;
using PaySim.Wallet.Cards;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Payments;
using PaySim.Wallet.Resilience;
using PaySim.Wallet.Sms;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Hosting;

/// <summary>One replica: its own Kestrel endpoint, its own issuer integration (own channels, own health view), the shared database.</summary>
internal sealed class WalletInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RecoveryLoop? _recovery;
    private readonly SmsSender _sms;

    private WalletInstance(WebApplication app, string name, Uri uri, IIssuerIntegration integration, WalletMetrics metrics, PaymentRecovery? recovery, RecoveryLoop? loop, SmsSender sms)
    {
        _sms = sms;
        _app = app;
        _recovery = loop;
        Recovery = recovery;
        Name = name;
        Uri = uri;
        Integration = integration;
        Metrics = metrics;
    }

    public string Name { get; }

    public Uri Uri { get; }

    public IIssuerIntegration Integration { get; }

    public WalletMetrics Metrics { get; }

    /// <summary>The recovery pass of a resilient instance (null when naive); its loop runs it every RecoveryInterval.</summary>
    public PaymentRecovery? Recovery { get; }

    public static async Task<WalletInstance> StartAsync(WalletOptions options, string name, int number, int port, WalletDatabase database, CancellationToken ct)
    {
        // Defect unbalanced: every instance but wallet-1 keeps refusing new connections and closes each one after a reply.
        var unbalanced = number != 1 && WalletDefects.IsOn(options.Defects, WalletDefects.Unbalanced);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WalletInstance).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Every log line goes to stderr: stdout carries only the "listening on" lines a script or test reads.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        // A listener that cannot start is told in one line by the caller (CannotListen); the host's own stack trace is noise.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Both limits act as bytes and sockets arrive, before any handler buffers anything.
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.Limits.MaxConcurrentConnections = options.MaxConnections;
            k.Listen(IPAddress.Parse(options.BindAddress), port);
        });
        if (unbalanced)
        {
            builder.Services.RemoveAll<IConnectionListenerFactory>();
            builder.Services.AddSingleton<IConnectionListenerFactory>(services => new RefusingListenerFactory(
                ActivatorUtilities.CreateInstance<SocketTransportFactory>(services), options.TimeProvider));
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();

        var metrics = new WalletMetrics(name);
        var loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        IIssuerIntegration integration = IssuerIntegrations.Create(options, metrics, loggerFactory);
        var sms = new SmsSender(options.SmsGatewayUri);
        try
        {
            var users = new UserStore(database);
            var cards = new CardStore(database);
            var payments = new PaymentStore(database);
            var notifications = new NotificationStore(database);
            var accounts = new AccountService(users, new SessionStore(database), new LoginAttemptStore(database), options);
            var logger = loggerFactory.CreateLogger("PaySim.Wallet." + name);
            var refunds = new RefundRunner(payments, notifications, integration, metrics, options.TimeProvider);
            var abandoned = new AbandonedPayments(payments, cards, notifications, integration, refunds, metrics, options.TimeProvider, logger);
            var passwordResets = new PasswordResetService(users, new PasswordResetStore(database), sms, options, logger);
            var devices = new DeviceVerification(new DeviceStore(database), sms, options);
            var endpoints = new WalletEndpoints(name, options, accounts, passwordResets, devices, new BindingService(cards, integration, metrics, options.TimeProvider, options.Defects),
                new PaymentService(payments, cards, notifications, accounts, integration, abandoned, refunds, metrics, options), cards, payments, notifications, metrics,
                integration.Name, logger);
            if (unbalanced)
            {
                app.Use((context, next) =>
                {
                    context.Response.Headers.Connection = "close";
                    return next(context);
                });
            }

            endpoints.Map(app);
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                throw CannotListen(name, options.BindAddress, port, e);
            }

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            // Only a wallet that remembers its payments can settle the ones a dead process left behind.
            var recovery = integration.RemembersFailedPayments ? new PaymentRecovery(payments, abandoned, refunds, options, logger) : null;
            var loop = recovery is null ? null : new RecoveryLoop(async ct => await recovery.RunOnceAsync(ct), options.RecoveryInterval, options.TimeProvider, logger);
            return new WalletInstance(app, name, new Uri(address), integration, metrics, recovery, loop, sms);
        }
        catch
        {
            sms.Dispose();
            await integration.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_recovery is not null)
        {
            await _recovery.DisposeAsync();
        }

        try
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(grace.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            await Integration.DisposeAsync();
            _sms.Dispose();
        }
    }

    /// <summary>One line for a listener that could not start: a port in use, or an address this machine does not have.</summary>
    internal static IOException CannotListen(string name, string bindAddress, int port, Exception e)
    {
        var socket = default(System.Net.Sockets.SocketException);
        for (var inner = e; inner is not null && socket is null; inner = inner.InnerException)
        {
            socket = inner as System.Net.Sockets.SocketException;
        }

        var why = socket?.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.AddressAlreadyInUse => "port in use? try --port 0 or another port",
            System.Net.Sockets.SocketError.AddressNotAvailable => $"{socket.Message}: is {bindAddress} an address of this machine? try --bind 127.0.0.1",
            System.Net.Sockets.SocketError.AccessDenied => $"{socket.Message}: ports below 1024 need privileges; try --port 0",
            _ => socket?.Message ?? e.Message,
        };
        return new IOException($"{name} cannot listen on {bindAddress}:{port} ({why})", e);
    }
}
