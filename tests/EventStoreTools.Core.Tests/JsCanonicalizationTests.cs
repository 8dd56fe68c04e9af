using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Numerics;
using EventStoreTools.Core.Json;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// The canonicalizer against real JavaScript: every expected text in JsCases/*.txt was written by Node 20's
/// JSON.stringify(JSON.parse(input)) (JsCases/make-cases.js regenerates them).
/// </summary>
public class JsCanonicalizationTests
{
    private static readonly string CasesFolder = Path.Combine(TestFiles.RepoRoot, "tests", "EventStoreTools.Core.Tests", "JsCases");

    public static IEnumerable<object[]> NodeCases() =>
        File.ReadLines(Path.Combine(CasesFolder, "canonical-cases.txt"), System.Text.Encoding.UTF8)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(parts => new object[] { parts[0], parts[1] });

    [Theory]
    [MemberData(nameof(NodeCases))]
    public void Canonicalize_writes_what_Node_writes(string input, string node) =>
        Assert.Equal(node, JsJson.Canonicalize(input));

    [Theory]
    [MemberData(nameof(NodeCases))]
    public void A_parsed_payload_serializes_as_Node_writes_it(string input, string node) =>
        Assert.Equal(node, JsJson.Serialize(JsJson.Parse(input)));

    [Fact]
    public void Numbers_parse_and_print_as_in_Node()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var line in File.ReadLines(Path.Combine(CasesFolder, "number-cases.txt")))
        {
            if (line.Length == 0) continue;
            var (input, node) = (line.Split('\t')[0], line.Split('\t')[1]);
            count++;
            string ours;
            if (input.StartsWith("bits:", StringComparison.Ordinal))
            {
                var value = BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(input[5..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                ours = JsJson.FormatNumber(value);
                // The same double as text, read back by the canonicalizer.
                var text = JsJson.Canonicalize(value.ToString("R", CultureInfo.InvariantCulture));
                if (text != node) failures.Add($"{input} as text: {text}, Node {node}");
            }
            else
            {
                ours = JsJson.Canonicalize(input);
                // The same digits as the .NET numbers PowerShell hands over for them.
                if (!input.Contains('.') && !input.Contains('e'))
                {
                    var big = JsJson.Serialize(BigInteger.Parse(input, CultureInfo.InvariantCulture));
                    if (big != node) failures.Add($"{input} as BigInteger: {big}, Node {node}");
                }
                else if (decimal.TryParse(input, NumberStyles.Float, CultureInfo.InvariantCulture, out var money) && money.ToString(CultureInfo.InvariantCulture) == input)
                {
                    var fromDecimal = JsJson.Serialize(money);
                    if (fromDecimal != node) failures.Add($"{input} as Decimal: {fromDecimal}, Node {node}");
                }
            }
            if (ours != node) failures.Add($"{input}: {ours}, Node {node}");
        }
        Assert.True(count > 2900, $"only {count} cases read");
        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1,\"x\",{\"1\":[],\"b\":{\"c\":null}}]")]
    [InlineData("{\"threadCounter\":0,\"n\":1.5,\"s\":\"Überweisung №1 ✓\",\"e\":\"\\n\\\"\"}")]
    [InlineData("1.5e+300")]
    public void Canonical_text_comes_back_as_the_same_string(string json)
    {
        var copy = new string(json.AsSpan());
        Assert.Same(copy, JsJson.Canonicalize(copy));
    }

    [Fact]
    public void Many_keys_are_checked_for_duplicates_too()
    {
        var keys = Enumerable.Range(0, 100).Select(i => $"\"k{i}\":{i}").ToList();
        var distinct = "{" + string.Join(",", keys) + "}";
        Assert.Same(distinct, JsJson.Canonicalize(distinct));
        var withDuplicate = "{" + string.Join(",", keys) + ",\"k3\":\"last\"}";
        Assert.Equal(distinct.Replace("\"k3\":3", "\"k3\":\"last\"", StringComparison.Ordinal), JsJson.Canonicalize(withDuplicate));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    public void Depth_is_counted_on_the_streaming_and_the_tree_path(int levels)
    {
        var arrays = new string('[', levels) + new string(']', levels);
        Assert.Same(arrays, JsJson.Canonicalize(arrays, out var depth));
        Assert.Equal(levels, depth);

        // Reordered at the top: the object is re-read as a tree, and the depth is still counted.
        var reordered = "{\"b\":" + arrays + ",\"0\":1}";
        Assert.Equal("{\"0\":1,\"b\":" + arrays + "}", JsJson.Canonicalize(reordered, out depth));
        Assert.Equal(levels + 1, depth);

        JsJson.Canonicalize("1", out depth);
        Assert.Equal(0, depth);
    }

    [Fact]
    public void Objects_reordered_deep_inside_keep_what_was_written_around_them()
    {
        var nested = new string('[', 50) + "{\"z\":1,\"3\":{\"y\":2,\"1\":2,\"y\":3}}" + new string(']', 50);
        var expected = new string('[', 50) + "{\"3\":{\"1\":2,\"y\":3},\"z\":1}" + new string(']', 50);
        Assert.Equal("[1," + expected + ",{\"a\":3}]", JsJson.Canonicalize("[1, " + nested + ", {\"a\" : 2, \"a\" : 3}]"));
    }

    [Fact]
    public void Raw_lone_surrogates_in_text_are_escaped_as_JavaScript_writes_them()
    {
        Assert.Equal("\"a\\ud800b\\udc00\"", JsJson.Canonicalize("\"a\ud800b\udc00\""));
        Assert.Equal("{\"\\udbff\":\"😀\"}", JsJson.Canonicalize("{\"\udbff\":\"\ud83d\ude00\"}"));
    }

    [Fact]
    public void Dotnet_numbers_are_the_double_nearest_their_exact_value()
    {
        // Expected texts from Node: JSON.stringify(JSON.parse(digits)).
        Assert.Equal("12345678901234567000", JsJson.Serialize(BigInteger.Parse("12345678901234567000", CultureInfo.InvariantCulture)));
        Assert.Equal("18446744073709552000", JsJson.Serialize(ulong.MaxValue));
        Assert.Equal("18446744073709552000", JsJson.Serialize(BigInteger.Parse("18446744073709551615", CultureInfo.InvariantCulture)));
        Assert.Equal("9007199254740992", JsJson.Serialize(9007199254740993L));
        Assert.Equal("9007199254740996", JsJson.Serialize(9007199254740995L));
        Assert.Equal("-9223372036854776000", JsJson.Serialize(long.MinValue));
        Assert.Equal("9223372036854776000", JsJson.Serialize(long.MaxValue));
        Assert.Equal("12345678901234567000", JsJson.Serialize(12345678901234567890.5m));
        Assert.Equal("0.1", JsJson.Serialize(0.1m));
        Assert.Equal("0.3333333333333333", JsJson.Serialize(0.3333333333333333333333333333m));
        Assert.Equal("7.922816251426434e+28", JsJson.Serialize(decimal.MaxValue));
        Assert.Equal("1.7014118346046923e+38", JsJson.Serialize(Int128.MaxValue));
        Assert.Equal("1.2345678901234568e+29", JsJson.Serialize(BigInteger.Parse("123456789012345678901234567890", CultureInfo.InvariantCulture)));
        Assert.Equal("null", JsJson.Serialize(BigInteger.Pow(10, 400)));
        Assert.Equal("0", JsJson.Serialize(-0.0));
        Assert.Equal("0.10000000149011612", JsJson.Serialize(0.1f));
        Assert.Equal("[1,2,3,4,5]", JsJson.Serialize(new object[] { (byte)1, (short)2, 3u, (nint)4, (Half)5 }));
    }

    [Fact]
    public void Dictionaries_are_written_in_JavaScript_key_order()
    {
        var payload = new OrderedDictionary { ["b"] = 1, ["10"] = 2, ["a"] = 3, ["2"] = 4, ["01"] = 5 };
        Assert.Equal("{\"2\":4,\"10\":2,\"b\":1,\"a\":3,\"01\":5}", JsJson.Serialize(payload));

        // Keys that become the same text: the later value in the first key's place, as JavaScript sets them.
        var mixed = new OrderedDictionary { { 1, "int" }, { "x", 0 }, { "1", "string" } };
        Assert.Equal("{\"1\":\"string\",\"x\":0}", JsJson.Serialize(mixed));

        var plain = new Dictionary<string, object?> { ["z"] = new Hashtable { ["0"] = true } };
        Assert.Equal("{\"z\":{\"0\":true}}", JsJson.Serialize(plain));
    }

    [Fact]
    public void An_event_holds_its_payload_in_canonical_form()
    {
        var e = new ResolveEvent { PayloadJson = "{\"b\":1,\"1\":2,\"a\":3,\"a\":4}" };
        Assert.Equal("{\"1\":2,\"b\":1,\"a\":4}", e.PayloadJson);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => e.PayloadJson = "{\"a\":");
    }
}
