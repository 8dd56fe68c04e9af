using System.Collections.Specialized;
using EventStoreTools.Core.Json;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class JsJsonTests
{
    // Expected values are what Node's Number.prototype.toString / JSON.stringify print.
    [Theory]
    [InlineData(0d, "0")]
    [InlineData(1d, "1")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.2345e-7, "1.2345e-7")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(9007199254740993d, "9007199254740992")]
    [InlineData(230.398, "230.398")]
    [InlineData(100d, "100")]
    [InlineData(double.PositiveInfinity, "null")]
    [InlineData(double.NaN, "null")]
    public void FormatNumber_matches_JavaScript(double value, string expected) =>
        Assert.Equal(expected, JsJson.FormatNumber(value));

    [Theory]
    [InlineData("{ \"a\" : 1 , \"b\":[ 1.0, 2e2, -0, 1E400 ] }", "{\"a\":1,\"b\":[1,200,0,null]}")]
    [InlineData("\"\\u00e9\\/\\u2028<>&\"", "\"é/\u2028<>&\"")]
    [InlineData("\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\\"")]
    [InlineData("\"\\u001F\"", "\"\\u001f\"")]
    [InlineData("\"\\ud83d\\ude00 😀\"", "\"😀 😀\"")]
    [InlineData("\"\\ud800x\"", "\"\\ud800x\"")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("123", "123")]
    [InlineData("null", "null")]
    [InlineData(" [ ] ", "[]")]
    [InlineData("{\"nested\":{\"deep\":[{\"x\":true,\"y\":false,\"z\":null}]}}", "{\"nested\":{\"deep\":[{\"x\":true,\"y\":false,\"z\":null}]}}")]
    public void Canonicalize_is_JSON_stringify_of_JSON_parse(string json, string expected) =>
        Assert.Equal(expected, JsJson.Canonicalize(json));

    [Theory]
    [InlineData("{\"a\":}")]
    [InlineData("")]
    [InlineData("{\"a\":1} x")]
    [InlineData("'a'")]
    public void Canonicalize_rejects_text_that_is_not_JSON(string json) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsJson.Canonicalize(json));

    [Fact]
    public void Parse_gives_ordered_plain_values_and_later_duplicates_win_in_place()
    {
        var value = Assert.IsType<OrderedDictionary>(JsJson.Parse("{\"b\":1,\"a\":[1.5,\"x\",null,true],\"b\":2}"));
        Assert.Equal(new object[] { "b", "a" }, value.Keys.Cast<object>().ToArray());
        Assert.Equal(2L, value["b"]);
        var list = Assert.IsType<List<object?>>(value["a"]);
        Assert.Equal(new object?[] { 1.5, "x", null, true }, list.ToArray());
        Assert.Equal("{\"b\":2,\"a\":[1.5,\"x\",null,true]}", JsJson.Serialize(value));
    }

    [Fact]
    public void Serialize_writes_plain_values_as_JSON_stringify()
    {
        var payload = new OrderedDictionary
        {
            ["name"] = "Zoë \"q\"\n",
            ["n"] = 3,
            ["big"] = 12345678901234567890UL,
            ["f"] = 0.5f,
            ["when"] = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ["list"] = new[] { 1, 2 },
            ["none"] = null,
        };
        Assert.Equal("{\"name\":\"Zoë \\\"q\\\"\\n\",\"n\":3,\"big\":12345678901234567000,\"f\":0.5,\"when\":\"2100-01-01T00:00:00.000Z\",\"list\":[1,2],\"none\":null}",
            JsJson.Serialize(payload));
    }
}
