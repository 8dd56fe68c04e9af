using Xunit;

namespace EventStoreTools.Core.Tests;

public class WildcardPatternTests
{
    [Theory]
    [InlineData("USER_*", true)]
    [InlineData("a?c", true)]
    [InlineData("[plain]", false)]
    public void Knows_wildcards(string value, bool expected) => Assert.Equal(expected, WildcardPattern.HasWildcards(value));

    [Fact]
    public void Translates_to_GLOB_keeping_brackets_literal() =>
        Assert.Equal("[[]x]*?", WildcardPattern.ToGlob("[x]*?"));

    [Fact]
    public void Translates_to_LIKE_escaping_its_own_wildcards() =>
        Assert.Equal(@"a\_b\%c%d_\\", WildcardPattern.ToLike(@"a_b%c*d?\"));

    [Fact]
    public void Prefix_keeps_typed_wildcards() => Assert.Equal("US%R\\_%", WildcardPattern.PrefixToLike("US*R_"));

    [Theory]
    [InlineData("USER_*", "USER_CREATED", true)]
    [InlineData("USER_*", "user_created", false)]
    [InlineData("*_CREATED", "USER_CREATED", true)]
    [InlineData("a*b*c", "axxbyybzc", true)]
    [InlineData("a*b*c", "axxcyyb", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[x]*", "[x]yz", true)]
    [InlineData("a%_b", "a%_b", true)]
    [InlineData("**", "", true)]
    public void Matches_in_memory_as_the_engines_do(string pattern, string value, bool expected) =>
        Assert.Equal(expected, WildcardPattern.IsMatch(pattern, value));
}
