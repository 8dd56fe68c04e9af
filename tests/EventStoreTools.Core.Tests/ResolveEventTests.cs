using System.Collections.Specialized;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class ResolveEventTests
{
    [Fact]
    public void Reading_the_payload_keeps_the_original_bytes()
    {
        // Not JS-canonical on purpose: a parsed-and-reserialized payload would read "1" and "100".
        var e = new ResolveEvent { PayloadJson = "{\"a\":1.0,\"b\":1e2}" };
        var payload = Assert.IsType<OrderedDictionary>(e.Payload);
        Assert.Equal(1.0, payload["a"]);
        Assert.Equal("{\"a\":1.0,\"b\":1e2}", e.PayloadJson);
    }

    [Fact]
    public void Changing_the_payload_changes_the_json()
    {
        var e = new ResolveEvent { PayloadJson = "{\"a\":1}" };
        ((OrderedDictionary)e.Payload!)["a"] = "two";
        Assert.Equal("{\"a\":\"two\"}", e.PayloadJson);
        e.Payload = new[] { 1, 2 };
        Assert.Equal("[1,2]", e.PayloadJson);
        e.Payload = null;
        Assert.Equal("null", e.PayloadJson);
    }

    [Fact]
    public void Time_is_the_timestamp_in_UTC()
    {
        var e = new ResolveEvent { Timestamp = 4102444800585 };
        Assert.Equal(new DateTimeOffset(2100, 1, 1, 0, 0, 0, 585, TimeSpan.Zero), e.Time);
    }
}
