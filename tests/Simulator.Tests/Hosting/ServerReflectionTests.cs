using Grpc.Core;
using Grpc.Net.Client;
using PaySim.Simulator.Tests.Support;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace PaySim.Simulator.Tests.Hosting;

/// <summary>
/// grpcurl, Postman and Kreya discover services through server reflection instead of .proto files: every gRPC
/// port (issuer nodes, SMS gateway, control plane) answers both reflection versions with its services.
/// </summary>
public sealed class ServerReflectionTests
{
    [Fact]
    public async Task EveryGrpcPort_ListsItsServicesOverReflectionV1AndV1Alpha()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 2));

        foreach (var issuer in sim.Host.IssuerNodes.Select(n => n.Uri))
        {
            Assert.Equal(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "paysim.issuer.v1.Issuer"], await ListV1Async(issuer));
        }

        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "paysim.sms.v1.Inbox", "paysim.sms.v1.SmsGateway"],
            await ListV1Async(sim.Host.SmsUri));
        Assert.Equal(
            ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "paysim.control.v1.Control"],
            await ListV1AlphaAsync(sim.Host.ControlGrpcUri));
    }

    [Fact]
    public async Task Reflection_ServesTheIssuerProtoSoAClientCanBuildAuthorizeWithoutTheFile()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        using var channel = GrpcChannel.ForAddress(sim.Host.IssuerNodes[0].Uri);
        using var call = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "paysim.issuer.v1.Issuer" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes))
            .ToArray();

        var issuer = files.Single(f => f.Package == "paysim.issuer.v1").Service.Single(s => s.Name == "Issuer");
        Assert.Contains(issuer.Method, m => m.Name == "Authorize" && m.InputType == ".paysim.issuer.v1.AuthorizeRequest");
        Assert.Contains(issuer.Method, m => m.Name == "Void");
    }

    [Fact]
    public async Task WithAControlToken_TheControlPortsReflectionNeedsTheToken_AsDocsSay()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1);
        options.ControlToken = "s3cret";
        await using var sim = await TestSimulator.StartAsync(options);
        using var channel = GrpcChannel.ForAddress(sim.Host.ControlGrpcUri);
        var client = new V1.ServerReflection.ServerReflectionClient(channel);

        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = client.ServerReflectionInfo();
            await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        using var allowed = client.ServerReflectionInfo(new Metadata { { "authorization", "Bearer s3cret" } });
        await allowed.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        await allowed.RequestStream.CompleteAsync();

        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);
        Assert.True(await allowed.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains(allowed.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "paysim.control.v1.Control");

        // The data ports stay open: the token guards the control plane, not discovery of the issuer.
        Assert.Contains("paysim.issuer.v1.Issuer", await ListV1Async(sim.Host.IssuerNodes[0].Uri));
    }

    private static async Task<string[]> ListV1Async(Uri uri)
    {
        using var channel = GrpcChannel.ForAddress(uri);
        using var call = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task<string[]> ListV1AlphaAsync(Uri uri)
    {
        using var channel = GrpcChannel.ForAddress(uri);
        using var call = new V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
    }
}
