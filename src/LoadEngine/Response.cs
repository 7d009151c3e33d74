namespace PaySim.LoadEngine;

/// <summary>
/// The outcome of one iteration or step. Status codes are strings so that HTTP ("200"),
/// gRPC ("UNAVAILABLE") and ISO 8583 ("51") codes share one column; int overloads convert.
/// A struct so that returning a response allocates nothing.
/// </summary>
public readonly record struct Response
{
    /// <summary>Status code reported for an ok response without an explicit code.</summary>
    public const string DefaultOkCode = "ok";

    /// <summary>Status code reported for a failed response without an explicit code.</summary>
    public const string DefaultFailCode = "fail";

    private static readonly string[] SmallCodes = CreateSmallCodes();

    public bool IsOk { get; init; }

    public string? StatusCode { get; init; }

    public string? Message { get; init; }

    public long SizeBytes { get; init; }

    public bool IsFail => !IsOk;

    /// <summary>The code counted in statistics: the explicit one, else "ok" / "fail".</summary>
    public string EffectiveStatusCode => StatusCode ?? (IsOk ? DefaultOkCode : DefaultFailCode);

    public static Response Ok(string? statusCode = null, long sizeBytes = 0) =>
        new() { IsOk = true, StatusCode = statusCode, SizeBytes = sizeBytes };

    /// <summary>Ok with a numeric code (HTTP status); null means no code, like <c>Ok()</c>.</summary>
    public static Response Ok(int? statusCode, long sizeBytes = 0) =>
        new() { IsOk = true, StatusCode = statusCode is { } code ? CodeToString(code) : null, SizeBytes = sizeBytes };

    public static Response Fail(string? statusCode = null, string? message = null, long sizeBytes = 0) =>
        new() { IsOk = false, StatusCode = statusCode, Message = message, SizeBytes = sizeBytes };

    public static Response Fail(int statusCode, string? message = null, long sizeBytes = 0) =>
        new() { IsOk = false, StatusCode = CodeToString(statusCode), Message = message, SizeBytes = sizeBytes };

    // HTTP codes are hot: converting them must not allocate a new string per response.
    private static string CodeToString(int code) =>
        (uint)code < (uint)SmallCodes.Length ? SmallCodes[code] : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] CreateSmallCodes()
    {
        var codes = new string[600];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return codes;
    }
}
