using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Wallet.Tests.Support;

/// <summary>
/// An issuer node in front of a real one that forwards every call and, for Authorize, loses the reply with a
/// seeded probability after the issuer processed it (the client sees UNAVAILABLE, the money moved): a network
/// that resets connections after processing, independent of the simulator's fault engine. With
/// <c>hang</c> it never answers at all, like a node stuck on a lock.
/// </summary>
internal sealed class FlakyIssuerProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _upstream;

    private FlakyIssuerProxy(WebApplication app, GrpcChannel upstream, ProxyIssuer service)
    {
        _app = app;
        _upstream = upstream;
        Service = service;
        Uri = new Uri(app.Urls.First());
    }

    public Uri Uri { get; }

    public int LostReplies => Service.Lost;

    public int Calls => Service.Calls;

    private ProxyIssuer Service { get; }

    public static async Task<FlakyIssuerProxy> StartAsync(Uri upstream, double lossProbability, int seed, bool hang = false)
    {
        var channel = GrpcChannel.ForAddress(upstream);
        var service = new ProxyIssuer(new Issuer.IssuerClient(channel), lossProbability, seed, hang);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<ProxyIssuer>();
        await app.StartAsync();
        return new FlakyIssuerProxy(app, channel, service);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private sealed class ProxyIssuer(Issuer.IssuerClient upstream, double lossProbability, int seed, bool hang) : Issuer.IssuerBase
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();
        private int _lost;

        public int Lost => Volatile.Read(ref _lost);

        public int Calls => Volatile.Read(ref _calls);

        private int _calls;

        public override async Task<AuthorizeReply> Authorize(AuthorizeRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            var reply = await upstream.AuthorizeAsync(request, cancellationToken: context.CancellationToken);
            bool lose;
            lock (_gate)
            {
                lose = _random.NextDouble() < lossProbability;
            }

            if (lose)
            {
                Interlocked.Increment(ref _lost);
                throw new RpcException(new Status(StatusCode.Unavailable, "connection reset after the issuer processed the call"));
            }

            return reply;
        }

        public override async Task<StartBindingReply> StartBinding(StartBindingRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            return await upstream.StartBindingAsync(request, cancellationToken: context.CancellationToken);
        }

        public override async Task<ConfirmBindingReply> ConfirmBinding(ConfirmBindingRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            return await upstream.ConfirmBindingAsync(request, cancellationToken: context.CancellationToken);
        }

        public override async Task<ResendOtpReply> ResendOtp(ResendOtpRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            return await upstream.ResendOtpAsync(request, cancellationToken: context.CancellationToken);
        }

        public override async Task<CaptureReply> Capture(CaptureRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            return await upstream.CaptureAsync(request, cancellationToken: context.CancellationToken);
        }

        public override async Task<RefundReply> Refund(RefundRequest request, ServerCallContext context)
        {
            await HangIfAskedAsync(context);
            return await upstream.RefundAsync(request, cancellationToken: context.CancellationToken);
        }

        private async Task HangIfAskedAsync(ServerCallContext context)
        {
            Interlocked.Increment(ref _calls);
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
        }
    }
}
