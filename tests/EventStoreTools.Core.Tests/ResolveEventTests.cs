using System.Collections.Specialized;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class ResolveEventTests
{
    [Fact]
    public void Reading_the_payload_keeps_the_text()
    {
        var e = new ResolveEvent { PayloadJson = "{\"a\":1.5,\"b\":1e+21,\"c\":\"\\ud800\"}" };
        var text = e.PayloadJson;
        var payload = Assert.IsType<OrderedDictionary>(e.Payload);
        Assert.Equal(1.5, payload["a"]);
        Assert.Same(text, e.PayloadJson);
    }

    [Fact]
    public void Payload_text_is_stored_as_JavaScript_writes_it()
    {
        // Node: JSON.stringify(JSON.parse(...)).
        var e = new ResolveEvent { PayloadJson = "{ \"a\" : 1.0, \"b\" : 1e2, \"3\" : -0 }" };
        Assert.Equal("{\"3\":0,\"a\":1,\"b\":100}", e.PayloadJson);
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
