namespace PaySim.TestSupport;

/// <summary>
/// The programs from outside .NET that some tests drive (scripts/install-deps.sh installs them all), and
/// whether this run is CI, where a missing one is a failure rather than a skip.
/// </summary>
public static class ExternalTools
{
    public const string RedisServer = "redis-server";
    public const string Haproxy = "haproxy";
    public const string Curl = "curl";
    public const string Promtool = "promtool";
    public const string Chromium = "chromium";

    /// <summary>A <c>python3</c> on PATH that imports grpc and grpc_tools (Debian: python3-grpcio, python3-grpc-tools).</summary>
    public const string PythonGrpc = "python3-grpc";

    /// <summary>Starts every skip reason, so a CI script can tell a skipped tool test from any other skip.</summary>
    public const string SkipMarker = "[needs-tool]";

    /// <summary><c>CI=true</c> (or <c>1</c>), as set by .ci/run and by every hosted CI service.</summary>
    public static bool InCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    private static readonly Lazy<string?> PythonWithGrpc = new(FindPythonWithGrpc);

    /// <summary>The full path of an executable on PATH, or null (for <see cref="PythonGrpc"/>: the first python3 that imports grpc).</summary>
    public static string? Find(string program) =>
        program == PythonGrpc ? PythonWithGrpc.Value : OnPath(program).FirstOrDefault();

    private static IEnumerable<string> OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .Where(File.Exists);

    // A python3 earlier on PATH (pyenv, a venv) may lack the Debian modules: try each one.
    private static string? FindPythonWithGrpc()
    {
        foreach (var python in OnPath("python3").Distinct())
        {
            try
            {
                using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "import grpc, grpc_tools.protoc"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                if (p is not null && p.WaitForExit(30_000) && p.ExitCode == 0)
                {
                    return python;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not runnable: try the next one.
            }
        }

        return null;
    }

    /// <summary>The full path of a program a test cannot do without; a missing one fails the test with the reason.</summary>
    public static string Require(string program) => Find(program) ?? throw new InvalidOperationException(MissingReason([program]));

    public static IReadOnlyList<string> Missing(IEnumerable<string> programs) => programs.Where(p => Find(p) is null).ToArray();

    public static string MissingReason(IReadOnlyList<string> missing) =>
        $"{SkipMarker} {string.Join(", ", missing)} not on PATH (scripts/install-deps.sh installs {(missing.Count == 1 ? "it" : "them")})";
}
