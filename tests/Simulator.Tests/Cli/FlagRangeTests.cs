using System.CommandLine;
using System.Globalization;
using System.Numerics;
using PaySim.Contracts.CommandLine;
using PaySim.Simulator.Cli;

namespace PaySim.Simulator.Tests.Cli;

/// <summary>
/// Every whole-number flag of the simulator either declares its range (NumberOptions.Within) or takes any value of
/// its type; a declared range is the one the validation checks (its ends pass, one past fails, naming the flag), so a
/// number past the type names that range's end: "--nodes: \"99999999999\" is more than 32", not 2147483647.
/// </summary>
public sealed class FlagRangeTests
{
    private const string PastAnyType = "99999999999999999999999";

    // Flags whose every value of their type is allowed.
    private static readonly string[] AnyValue = ["--seed", "--fault-seed"];

    // A range end that holds only with another flag's value: that value.
    private static readonly Dictionary<string, string[]> Context = new(StringComparer.Ordinal)
    {
        ["--issuer-port"] = ["--nodes", "1"],
    };

    public static TheoryData<string, string> WholeNumberFlags()
    {
        var data = new TheoryData<string, string>();
        var root = Root();
        foreach (var (command, option) in Commands(root).SelectMany(c => c.Options.Select(o => (c, o))))
        {
            if (IsWholeNumber(option))
            {
                data.Add(command == root ? "" : command.Name, option.Name);
            }
        }

        return data;
    }

    [Fact]
    public void TheTreeHasTheFlagsThisTestIsAbout()
    {
        var flags = WholeNumberFlags().Select(row => $"{row[0]} {row[1]}".Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("serve --nodes", flags);
        Assert.Contains("--nodes", flags);
        Assert.Contains("serve --fault-journal", flags);
        Assert.Contains("cardholders --count", flags);
    }

    [Theory]
    [MemberData(nameof(WholeNumberFlags))]
    public void ADeclaredRange_IsTheOneValidationChecks_AndAFlagPastItsTypeNamesIt(string command, string flag)
    {
        var option = Commands(Root()).Single(c => c.Name == command || (command.Length == 0 && c is RootCommand)).Options.Single(o => o.Name == flag);
        var (typeMin, typeMax) = TypeRange(option);
        var declared = NumberOptions.DeclaredRange(option);
        var min = declared is { } low ? low.Min : typeMin;
        var max = declared is { } high ? high.Max : typeMax;
        if (declared is null)
        {
            Assert.Contains(flag, AnyValue);
        }

        Assert.DoesNotContain(Problems(command, flag, max), p => p.Contains(flag, StringComparison.Ordinal));
        Assert.DoesNotContain(Problems(command, flag, min), p => p.Contains(flag, StringComparison.Ordinal));
        if (max < typeMax)
        {
            Assert.Contains(Problems(command, flag, max + 1), p => p.Contains(flag, StringComparison.Ordinal));
        }

        if (min > typeMin)
        {
            Assert.Contains(Problems(command, flag, min - 1), p => p.Contains(flag, StringComparison.Ordinal));
        }

        Assert.Equal([$"{flag}: \"{PastAnyType}\" is more than {max}"], Problems(command, flag, PastAnyType));
        Assert.Equal([$"{flag}: \"-{PastAnyType}\" is less than {min}"], Problems(command, flag, "-" + PastAnyType));
    }

    private static List<string> Problems(string command, string flag, BigInteger value) =>
        Problems(command, flag, value.ToString(CultureInfo.InvariantCulture));

    // The lines a command line is refused with: the parser's, then (serve) the options' own validation.
    private static List<string> Problems(string command, string flag, string value)
    {
        string[] args = [.. command.Length == 0 ? [] : new[] { command }, flag, value, .. Context.GetValueOrDefault(flag, [])];
        var parse = Root().Parse(args);
        if (parse.Errors.Count > 0)
        {
            return parse.Errors.Select(e => e.Message).ToList();
        }

        return CliApp.ReadServeOptions(args) is { } options ? [.. options.Validate()] : [];
    }

    private static RootCommand Root() => CliApp.Build(TextWriter.Null, TextWriter.Null, null, (_, _) => Task.FromResult(0));

    private static IEnumerable<Command> Commands(Command command) => [command, .. command.Subcommands.SelectMany(Commands)];

    private static bool IsWholeNumber(Option option) =>
        (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(ulong));

    private static (BigInteger Min, BigInteger Max) TypeRange(Option option) =>
        (Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType) switch
        {
            var t when t == typeof(int) => (int.MinValue, int.MaxValue),
            var t when t == typeof(long) => (long.MinValue, long.MaxValue),
            _ => (ulong.MinValue, ulong.MaxValue),
        };
}
