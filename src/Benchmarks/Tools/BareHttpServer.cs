using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The HTTP/1.1 baseline: a bare ASP.NET Core minimal endpoint, <c>GET /health</c> → <c>ok</c>,
/// and <c>POST /payments</c> → a small constant JSON body (the bare twin of the wallet's pay path).
/// </summary>
internal sealed class BareHttpServer : ITool
{
    public string Name => "bare-http-server";

    public string Usage => "--port N (0 = any)";

    public IReadOnlyCollection<string> Options { get; } = ["port"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var port = args.GetInt("port", 0, 0, 65535);
        var builder = ToolHost.CreateBuilder(port, HttpProtocols.Http1);
        var app = builder.Build();
        long served = 0;
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref served);
            return "ok";
        });
        app.MapPost("/payments", () =>
        {
            Interlocked.Increment(ref served);
            return Results.Text("{\"status\":\"approved\"}", "application/json");
        });
        app.MapGet("/counters", () => Results.Json(new { requests = Interlocked.Read(ref served) }));
        return await ToolHost.RunAsync(app, () => $"served requests={Interlocked.Read(ref served)}");
    }
}
