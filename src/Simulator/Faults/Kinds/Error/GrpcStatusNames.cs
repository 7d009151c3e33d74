using Grpc.Core;

namespace PaySim.Simulator.Faults.Kinds.Error;

/// <summary>gRPC status names as the gRPC spec spells them (UNAVAILABLE); OK is not a fault.</summary>
public static class GrpcStatusNames
{
    private static readonly (string Name, StatusCode Code)[] Codes =
    [
        ("CANCELLED", StatusCode.Cancelled),
        ("UNKNOWN", StatusCode.Unknown),
        ("INVALID_ARGUMENT", StatusCode.InvalidArgument),
        ("DEADLINE_EXCEEDED", StatusCode.DeadlineExceeded),
        ("NOT_FOUND", StatusCode.NotFound),
        ("ALREADY_EXISTS", StatusCode.AlreadyExists),
        ("PERMISSION_DENIED", StatusCode.PermissionDenied),
        ("RESOURCE_EXHAUSTED", StatusCode.ResourceExhausted),
        ("FAILED_PRECONDITION", StatusCode.FailedPrecondition),
        ("ABORTED", StatusCode.Aborted),
        ("OUT_OF_RANGE", StatusCode.OutOfRange),
        ("UNIMPLEMENTED", StatusCode.Unimplemented),
        ("INTERNAL", StatusCode.Internal),
        ("UNAVAILABLE", StatusCode.Unavailable),
        ("DATA_LOSS", StatusCode.DataLoss),
        ("UNAUTHENTICATED", StatusCode.Unauthenticated),
    ];

    public static string Allowed { get; } = string.Join(", ", Codes.Select(c => c.Name));

    /// <summary>Accepts UNAVAILABLE, Unavailable, unavailable or the number 14.</summary>
    public static bool TryParse(string? text, out StatusCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (int.TryParse(span, out var number))
        {
            foreach (var entry in Codes)
            {
                if ((int)entry.Code == number)
                {
                    code = entry.Code;
                    return true;
                }
            }

            return false;
        }

        foreach (var entry in Codes)
        {
            if (EqualsIgnoringUnderscores(span, entry.Name))
            {
                code = entry.Code;
                return true;
            }
        }

        return false;
    }

    public static string Name(StatusCode code)
    {
        foreach (var entry in Codes)
        {
            if (entry.Code == code)
            {
                return entry.Name;
            }
        }

        return code == StatusCode.OK ? "OK" : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool EqualsIgnoringUnderscores(ReadOnlySpan<char> text, string name)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < text.Length && text[i] == '_')
            {
                i++;
            }

            while (j < name.Length && name[j] == '_')
            {
                j++;
            }

            if (i == text.Length || j == name.Length)
            {
                return i == text.Length && j == name.Length;
            }

            if (char.ToUpperInvariant(text[i]) != name[j])
            {
                return false;
            }

            i++;
            j++;
        }
    }
}
