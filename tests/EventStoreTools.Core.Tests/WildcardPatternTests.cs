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
}
