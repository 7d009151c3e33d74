using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.Tests.Support;

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
        VanishingInstance? started = null;
        var app = await FakeHttpServer.StartAsync(server =>
        {
            var instance = started = new VanishingInstance(server);
            server.MapGet("/health", (HttpContext ctx) =>
            {
                instance.HealthChecks++;
                ctx.Response.OnCompleted(() =>
                {
                    if (Interlocked.Exchange(ref instance._stopping, 1) == 0)
                    {
                        _ = Task.Run(() => server.StopAsync());
                    }

                    return Task.CompletedTask;
                });
                return Results.Ok();
            });
        });
        started!.Uri = FakeHttpServer.UriOf(app);
        return started;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
