using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace PaySim.Contracts.CommandLine;

/// <summary>
/// The one line a numeric flag's bad value gets on every PaySim command line, instead of the parser's
/// "Cannot parse argument 'x' for option '--count' as expected type 'System.Int32'": the flag, the text
/// given and what is wrong (<c>--count: "x" is not a whole number</c>, <c>--nodes: "99999999999" is more than
/// 32</c>, <c>--zh-cn-share: "NaN" is not a number</c>). Ranges narrower than the type's stay with each option's
/// own validator, which runs once the text is a number; an option declares its range with <see cref="Within{T}"/>
/// so that a number past its type names that range's end, not the type's (2147483647 would send a user to a
/// second refusal).
/// </summary>
public static class NumberOptions
{
    private static readonly ConditionalWeakTable<Option, Bounds> Declared = [];

    /// <summary>
    /// Declares the whole numbers <paramref name="option"/> allows, <paramref name="min"/>..<paramref name="max"/>,
    /// as its validator (or the options' own Validate) checks them: a number past the option's type then reads
    /// <c>{flag}: "{text}" is more than {max}</c> (or <c>less than {min}</c>). The check of the range itself stays
    /// where it is; the tests hold the two together (every ranged option: its ends pass, one past fails).
    /// </summary>
    public static Option<T> Within<T>(this Option<T> option, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(min, max);
        Declared.AddOrUpdate(option, new Bounds(min, max));
        return option;
    }

    /// <summary>The range <see cref="Within{T}"/> declared for <paramref name="option"/>, or null for "any value of its type".</summary>
    public static (long Min, long Max)? DeclaredRange(Option option) =>
        option is not null && Declared.TryGetValue(option, out var b) ? (b.Min, b.Max) : null;

    /// <summary>
    /// Gives every numeric option under <paramref name="command"/> (its own, its subcommands', recursively) that
    /// has no parser of its own the parser of <see cref="WholeNumber{T}"/> or <see cref="Number"/>, so an option
    /// added later cannot bring the parser's message back. Call it once the tree is built, before parsing.
    /// </summary>
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null: o.CustomParser = Required(WholeNumber<int>(o)); break;
                case Option<int?> o when o.CustomParser is null: o.CustomParser = WholeNumber<int>(o); break;
                case Option<long> o when o.CustomParser is null: o.CustomParser = Required(WholeNumber<long>(o)); break;
                case Option<long?> o when o.CustomParser is null: o.CustomParser = WholeNumber<long>(o); break;
                case Option<ulong> o when o.CustomParser is null: o.CustomParser = Required(WholeNumber<ulong>(o)); break;
                case Option<ulong?> o when o.CustomParser is null: o.CustomParser = WholeNumber<ulong>(o); break;
                case Option<double> o when o.CustomParser is null: o.CustomParser = Required(Number(o.Name)); break;
                case Option<double?> o when o.CustomParser is null: o.CustomParser = Number(o.Name); break;
                default: break;
            }
        }

        foreach (var sub in command.Subcommands)
        {
            Apply(sub);
        }
    }

    /// <summary>
    /// A parser for a whole-number flag: the last token as <typeparamref name="T"/> (an optional sign, digits, no
    /// separators), or null with the error <c>{flag}: "{text}" is not a whole number</c>, or, for digits outside
    /// the type, <c>is more than {max}</c> / <c>is less than {min}</c>: the declared range's end
    /// (<see cref="Within{T}"/>), else the type's.
    /// </summary>
    private static Func<ArgumentResult, T?> WholeNumber<T>(Option option)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var flag = option.Name;
        return r =>
        {
            var text = LastToken(r);
            if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            // Read when the error happens, so a range declared after Apply counts too.
            var declared = DeclaredRange(option);
            r.AddError(BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
                ? big.Sign < 0
                    ? $"{flag}: \"{text}\" is less than {(declared is { } low ? Text(low.Min) : Text(BigInteger.CreateTruncating(T.MinValue)))}"
                    : $"{flag}: \"{text}\" is more than {(declared is { } high ? Text(high.Max) : Text(BigInteger.CreateTruncating(T.MaxValue)))}"
                : $"{flag}: \"{text}\" is not a whole number");
            return null;
        };
    }

    /// <summary>A parser for a decimal flag: a finite number with '.' as the decimal point, or null with <c>{flag}: "{text}" is not a number</c>.</summary>
    private static Func<ArgumentResult, double?> Number(string flag)
    {
        return r =>
        {
            var text = LastToken(r);
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                return value;
            }

            r.AddError($"{flag}: \"{text}\" is not a number");
            return null;
        };
    }

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static string LastToken(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";

    /// <summary>For an option whose value is not nullable: a failed parse has its error; the value returned then is never read.</summary>
    private static Func<ArgumentResult, T> Required<T>(Func<ArgumentResult, T?> parse)
        where T : struct =>
        r => parse(r) ?? default;

    private sealed record Bounds(long Min, long Max);
}
