using System.Globalization;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>Every message says "1 event" and "2 events": one helper gives the count its noun.</summary>
public class QuantityTests
{
    [Theory]
    [InlineData(0, "0 events")]
    [InlineData(1, "1 event")]
    [InlineData(2, "2 events")]
    [InlineData(1000, "1,000 events")]
    public void A_count_has_its_noun_in_the_singular_for_one_only(long count, string expected)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try { Assert.Equal(expected, Quantity.Of(count, "event")); }
        finally { CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void An_irregular_plural_is_given()
    {
        Assert.Equal("1 batch", Quantity.Of(1, "batch", "batches"));
        Assert.Equal("3 batches", Quantity.Of(3, "batch", "batches"));
        Assert.Equal("stays", Quantity.Noun(1, "stays", "stay"));
        Assert.Equal("stay", Quantity.Noun(2, "stays", "stay"));
    }
}
