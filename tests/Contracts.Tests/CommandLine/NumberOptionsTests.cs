using System.CommandLine;
using PaySim.Contracts.CommandLine;

namespace PaySim.Contracts.Tests.CommandLine;

public sealed class NumberOptionsTests
{
    [Theory]
    [InlineData("--count", "abc", "--count: \"abc\" is not a whole number")]
    [InlineData("--count", "1e3", "--count: \"1e3\" is not a whole number")]
    [InlineData("--count", "1,000", "--count: \"1,000\" is not a whole number")]
    [InlineData("--count", "2147483648", "--count: \"2147483648\" is more than 2147483647")]
    [InlineData("--count", "-2147483649", "--count: \"-2147483649\" is less than -2147483648")]
    [InlineData("--limit", "x", "--limit: \"x\" is not a whole number")]
    [InlineData("--fault-seed", "-5", "--fault-seed: \"-5\" is less than 0")]
    [InlineData("--fault-seed", "18446744073709551616", "--fault-seed: \"18446744073709551616\" is more than 18446744073709551615")]
    [InlineData("--share", "NaN", "--share: \"NaN\" is not a number")]
    [InlineData("--share", "Infinity", "--share: \"Infinity\" is not a number")]
    [InlineData("--share", "0,5", "--share: \"0,5\" is not a number")]
    [InlineData("--big", "9223372036854775808", "--big: \"9223372036854775808\" is more than 9223372036854775807")]
    public void ABadValue_IsOneErrorNamingTheFlagAndTheText_OnANestedCommandToo(string flag, string value, string expected)
    {
        var root = Tree();
        NumberOptions.Apply(root);

        var parse = root.Parse(["sub", flag, value]);

        var error = Assert.Single(parse.Errors);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("99999999999", "--nodes: \"99999999999\" is more than 32")]
    [InlineData("-99999999999", "--nodes: \"-99999999999\" is less than 1")]
    [InlineData("x", "--nodes: \"x\" is not a whole number")]
    public void ANumberPastItsType_NamesTheDeclaredRangesEnd_NotTheTypes(string value, string expected)
    {
        var nodes = new Option<int>("--nodes").Within(1, 32);
        var root = new RootCommand { nodes };
        NumberOptions.Apply(root);

        var parse = root.Parse(["--nodes", value]);

        Assert.Equal(expected, Assert.Single(parse.Errors).Message);
        Assert.Equal((1L, 32L), NumberOptions.DeclaredRange(nodes));
    }

    [Fact]
    public void AValueInsideTheType_IsLeftToTheOptionsOwnValidator()
    {
        // Within declares the range for the overflow line only; the check of the range stays where it is.
        var nodes = new Option<int>("--nodes").Within(1, 32);
        var root = new RootCommand { nodes };
        NumberOptions.Apply(root);

        var parse = root.Parse(["--nodes", "500"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(500, parse.GetValue(nodes));
        Assert.Null(NumberOptions.DeclaredRange(new Option<int>("--other")));
    }

    [Fact]
    public void GoodValues_ParseAsTheirTypes()
    {
        var root = Tree();
        NumberOptions.Apply(root);

        var parse = root.Parse(["sub", "--count", "-7", "--limit", "+3", "--fault-seed", "18446744073709551615", "--share", "0.25", "--big", "-9223372036854775808"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(-7, parse.GetValue<int>("--count"));
        Assert.Equal(3, parse.GetValue<int?>("--limit"));
        Assert.Equal(ulong.MaxValue, parse.GetValue<ulong?>("--fault-seed"));
        Assert.Equal(0.25, parse.GetValue<double>("--share"));
        Assert.Equal(long.MinValue, parse.GetValue<long>("--big"));
    }

    [Fact]
    public void LeftOut_KeepsTheDefaultOrNull()
    {
        var root = Tree();
        NumberOptions.Apply(root);

        var parse = root.Parse(["sub"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(100, parse.GetValue<int>("--count"));
        Assert.Null(parse.GetValue<int?>("--limit"));
    }

    [Fact]
    public void AnOptionWithItsOwnParser_KeepsIt()
    {
        var own = new Option<int>("--port") { CustomParser = r => { r.AddError("--port: my own message"); return 0; } };
        var root = new RootCommand { own };
        NumberOptions.Apply(root);

        var parse = root.Parse(["--port", "x"]);

        Assert.Equal("--port: my own message", Assert.Single(parse.Errors).Message);
    }

    [Fact]
    public void WithoutIt_TheParsersOwnMessageNamesADotNetType()
    {
        // What Apply replaces: if the parser ever words its error in the user's terms, this test says Apply may go.
        var parse = Tree().Parse(["sub", "--count", "abc"]);

        Assert.Contains("System.Int32", Assert.Single(parse.Errors).Message, StringComparison.Ordinal);
    }

    private static RootCommand Tree()
    {
        var sub = new Command("sub")
        {
            new Option<int>("--count") { DefaultValueFactory = _ => 100 },
            new Option<int?>("--limit"),
            new Option<ulong?>("--fault-seed"),
            new Option<double>("--share"),
            new Option<long>("--big"),
        };
        return new RootCommand { sub };
    }
}
