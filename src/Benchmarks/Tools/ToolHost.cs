using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PaySim.Benchmarks.Tools;

/// <summary>Shared plumbing for the bare baseline servers.</summary>
internal static class ToolHost
{
    /// <summary>
    /// A slim builder with no configuration files and warning-level logging: this assembly
    /// references the simulator and the wallet, whose appsettings.json may be copied beside it,
    /// and per-request information logs would make a baseline slower than it should be.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(int port, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A failed start (port in use) is reported as one line below, not as a logged stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = protocols);
        });
        return builder;
    }

    /// <summary>
    /// Starts the app, prints <c>listening http://127.0.0.1:PORT</c> (scripts wait for it and use
    /// it when the port was 0), and waits for Ctrl+C or SIGTERM.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, Func<string> onStopped)
    {
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"--port: cannot listen: {e.Message}");
            return 2;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        Console.WriteLine($"listening {address}");
        await app.WaitForShutdownAsync();
        Console.WriteLine(onStopped());
        return 0;
    }
}
