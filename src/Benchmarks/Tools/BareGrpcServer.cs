using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// The gRPC baseline: grpc-dotnet on Kestrel h2c with an empty <c>Issuer.Authorize</c> handler.
/// With <c>--delay-ms</c> it becomes the fixed-latency target of the latency-accuracy check.
/// <c>GET /counters</c> (over h2c) tells how many calls were really answered.
/// </summary>
internal sealed class BareGrpcServer : ITool
{
    public string Name => "bare-grpc-server";

    public string Usage => "--port N (0 = any) [--delay-ms 0]";

    public IReadOnlyCollection<string> Options { get; } = ["port", "delay-ms"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var port = args.GetInt("port", 0, 0, 65535);
        var delayMs = args.GetInt("delay-ms", 0, 0, 60_000);
        var builder = ToolHost.CreateBuilder(port, HttpProtocols.Http2);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new BareIssuerService.Settings(TimeSpan.FromMilliseconds(delayMs)));
        builder.Services.AddSingleton<BareIssuerService.Counter>();
        var app = builder.Build();
        app.MapGrpcService<BareIssuerService>();
        var counter = app.Services.GetRequiredService<BareIssuerService.Counter>();
        app.MapGet("/counters", () => Results.Json(new { authorize = counter.Value }));
        return await ToolHost.RunAsync(app, () => $"served authorize={counter.Value}");
    }
}

/// <summary>The empty handler: a prebuilt reply, no work.</summary>
internal sealed class BareIssuerService(BareIssuerService.Settings settings, BareIssuerService.Counter counter)
    : Issuer.IssuerBase
{
    private static readonly AuthorizeReply Approved = new() { ResponseCode = "00", Node = "bare" };

    public override Task<AuthorizeReply> Authorize(AuthorizeRequest request, ServerCallContext context)
    {
        counter.Increment();
        return settings.Delay == TimeSpan.Zero ? Task.FromResult(Approved) : DelayedAsync(context.CancellationToken);
    }

    private async Task<AuthorizeReply> DelayedAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(settings.Delay, cancellationToken);
        return Approved;
    }

    internal sealed record Settings(TimeSpan Delay);

    internal sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
