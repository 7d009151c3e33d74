using System.CommandLine;
using System.Globalization;
using System.Numerics;
using PaySim.Contracts.CommandLine;
using PaySim.Wallet.Hosting;

namespace PaySim.Wallet.Tests.Hosting;

/// <summary>
/// Every whole-number flag of the wallet declares its range (NumberOptions.Within), and that range is the one the
/// options' validation checks (its ends pass, one past fails naming the flag), so a number past the type names the
/// range's end: "--port: \"99999999999\" is more than 65535", not 2147483647.
/// </summary>
public sealed class FlagRangeTests
{
    private const string PastAnyType = "99999999999999999999999";

    // A range end that holds only with another flag's value: that value.
    private static readonly Dictionary<string, string[]> Context = new(StringComparer.Ordinal)
    {
        ["--port"] = ["--instances", "1"],
    };

    public static TheoryData<string> WholeNumberFlags() =>
        [.. WalletCommandLine.Build().Options.Where(IsWholeNumber).Select(o => o.Name)];

    [Fact]
    public void TheTreeHasTheFlagsThisTestIsAbout()
    {
        var flags = WalletCommandLine.Build().Options.Where(IsWholeNumber).Select(o => o.Name).ToList();

        Assert.Equal(["--instances", "--port", "--hash-iterations", "--max-connections", "--max-body-bytes", "--login-rate"], flags);
    }

    [Theory]
    [MemberData(nameof(WholeNumberFlags))]
    public void TheDeclaredRange_IsTheOneValidationChecks_AndAFlagPastItsTypeNamesIt(string flag)
    {
        var option = WalletCommandLine.Build().Options.Single(o => o.Name == flag);
        var declared = NumberOptions.DeclaredRange(option);
        Assert.NotNull(declared);
        var (min, max) = declared.Value;

        Assert.DoesNotContain(Problems(flag, max), p => p.Contains(flag, StringComparison.Ordinal));
        Assert.DoesNotContain(Problems(flag, min), p => p.Contains(flag, StringComparison.Ordinal));
        Assert.Contains(Problems(flag, (BigInteger)max + 1), p => p.Contains(flag, StringComparison.Ordinal));
        Assert.Contains(Problems(flag, (BigInteger)min - 1), p => p.Contains(flag, StringComparison.Ordinal));
        Assert.Equal([$"{flag}: \"{PastAnyType}\" is more than {max}"], Problems(flag, PastAnyType));
        Assert.Equal([$"{flag}: \"-{PastAnyType}\" is less than {min}"], Problems(flag, "-" + PastAnyType));
    }

    private static List<string> Problems(string flag, BigInteger value) => Problems(flag, value.ToString(CultureInfo.InvariantCulture));

    // The lines a command line is refused with: the parser's, then the options' own validation.
    private static List<string> Problems(string flag, string value)
    {
        string[] args = [flag, value, .. Context.GetValueOrDefault(flag, [])];
        var parse = WalletCommandLine.Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            return parse.Errors.Select(e => e.Message).ToList();
        }

        try
        {
            WalletCommandLine.ReadOptions(args);
            return [];
        }
        catch (ArgumentException e)
        {
            return [e.Message];
        }
    }

    private static bool IsWholeNumber(Option option) =>
        (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(ulong));
}
