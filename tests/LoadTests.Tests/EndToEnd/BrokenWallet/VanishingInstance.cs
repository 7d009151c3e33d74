using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;

/// <summary>
/// A wallet instance that passes the run's health check and is gone right after (its port refuses connections):
/// the run was given it, and it never answers a single wallet call.
/// </summary>
internal sealed class VanishingInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopping;

    private VanishingInstance(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Health checks it answered before it stopped listening.</summary>
    public int HealthChecks { get; private set; }

    public static async Task<VanishingInstance> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var instance = new VanishingInstance(app);
        app.MapGet("/health", (HttpContext ctx) =>
        {
            instance.HealthChecks++;
            ctx.Response.OnCompleted(() =>
            {
                if (Interlocked.Exchange(ref instance._stopping, 1) == 0)
                {
                    _ = Task.Run(() => app.StopAsync());
                }

                return Task.CompletedTask;
            });
            return Results.Ok();
        });
        await app.StartAsync();
        instance.Uri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return instance;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
