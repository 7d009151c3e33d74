using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaySim.LoadTests.Tests.Support;

/// <summary>A stand-in HTTP server on 127.0.0.1, port 0 unless given: <paramref name="map"/> adds its routes; the caller disposes it.</summary>
internal static class FakeHttpServer
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>Where it listens, as a <see cref="Uri"/>.</summary>
    public static Uri UriOf(WebApplication app) => new(UrlOf(app));

    /// <summary>Where it listens, e.g. http://127.0.0.1:41234.</summary>
    public static string UrlOf(WebApplication app) => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
