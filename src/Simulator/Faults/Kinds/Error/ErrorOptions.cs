using System.Text.Json;
using Grpc.Core;

namespace PaySim.Simulator.Faults.Kinds.Error;

/// <summary><c>"error": { "grpcStatus": "UNAVAILABLE", "message": "...", "retryPushbackMs": 500 }</c>.</summary>
public sealed class ErrorOptions
{
    private static readonly string[] Fields = ["grpcStatus", "message", "retryPushbackMs"];

    public ErrorOptions(StatusCode status, string? message = null, int? retryPushbackMs = null)
    {
        Status = status;
        Message = message ?? $"{FaultDefaults.MessagePrefix}{GrpcStatusNames.Name(status)}";
        RetryPushbackMs = retryPushbackMs;
    }

    public StatusCode Status { get; }

    public string Message { get; }

    /// <summary>Sent as the <c>grpc-retry-pushback-ms</c> trailer; gRPC clients with a retry policy honour it.</summary>
    public int? RetryPushbackMs { get; }

    internal static ErrorOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var statusText = FaultJson.TryGet(value, "grpcStatus", out var statusValue)
            ? statusValue.ValueKind == JsonValueKind.Number ? statusValue.GetRawText() : statusValue.ValueKind == JsonValueKind.String ? statusValue.GetString() : null
            : null;
        var message = FaultJson.ReadMessage(value, "message", path, errors);
        var pushback = FaultJson.ReadInteger(value, "retryPushbackMs", path, errors, 0, FaultDefaults.MaxDelayMs);

        if (statusText is null)
        {
            errors.Add(FaultJson.Join(path, "grpcStatus"),
                FaultJson.TryGet(value, "grpcStatus", out var bad)
                    ? $"{FaultJson.Describe(bad)} is not a gRPC status; allowed: {GrpcStatusNames.Allowed}"
                    : $"is required; allowed: {GrpcStatusNames.Allowed}");
            return null;
        }

        if (!GrpcStatusNames.TryParse(statusText, out var status))
        {
            errors.Add(FaultJson.Join(path, "grpcStatus"), $"\"{statusText}\" is not a gRPC status; allowed: {GrpcStatusNames.Allowed}");
            return null;
        }

        return new ErrorOptions(status, message, pushback is { } p ? (int)p : null);
    }
}
