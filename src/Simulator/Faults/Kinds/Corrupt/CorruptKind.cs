using System.Buffers;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace PaySim.Simulator.Faults.Kinds.Corrupt;

/// <summary>
/// <c>"corrupt": {}</c>: the handler runs (its effects stay, money moves) and its reply leaves with
/// garbled bytes, so the client fails to read it (a gRPC client sees INTERNAL) while the server
/// counts an OK call. Real networks and middleboxes do this; clients rarely handle it. A server
/// stream gets a garbled message ahead of its own.
/// </summary>
internal sealed class CorruptKind : FaultKind<CorruptOptions>
{
    public static readonly CorruptKind Instance = new();

    /// <summary>The call ends with a reply no client can read.</summary>
    public static readonly FaultAction Corrupt = new("corrupt");

    public override string Name => "corrupt";

    public override FaultKindFlags Flags => FaultKindFlags.Terminal;

    public override string Example => "{}";

    public override async Task<object?> InterveneAsync(FaultCall call)
    {
        var options = (CorruptOptions)call.Decision.Options!;
        var features = call.Context.GetHttpContext().Features;
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        if (call.ResponseType == typeof(object))
        {
            // A server stream (FaultCall's ResponseType is object): grpc-dotnet took the body writer
            // before the handler ran, so the damage goes out first, ahead of the stream's messages.
            var writer = new CorruptingWriter(body.Writer, options.Mode);
            writer.Write(new byte[CorruptingWriter.HeaderLength]);
            await writer.FlushAsync(call.Context.CancellationToken).ConfigureAwait(false);
        }
        else
        {
            features.Set<IHttpResponseBodyFeature>(new CorruptingBody(body, options.Mode));
        }

        var reply = await call.ProceedAsync().ConfigureAwait(false);
        call.Outcome = "corrupt " + options.ModeName;
        return reply;
    }

    protected override CorruptOptions? Read(JsonElement value, string path, FaultRuleErrors errors) => CorruptOptions.Read(value, path, errors);

    protected override bool Act(CorruptOptions options, in FaultFiring firing, ref FaultDecisionBuilder decision)
    {
        decision.Terminal(Corrupt, firing.RuleName, this, options);
        return true;
    }
}
