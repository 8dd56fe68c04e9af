using System.Text;
using EventStoreTools.Core.Ndjson;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>Input as a JSON array of events (an import handler's request body) and in other charsets.</summary>
public class JsonArrayInputTests
{
    private const string First = """{"threadId":1,"threadCounter":0,"timestamp":1700000000000,"aggregateId":"a-1","aggregateVersion":1,"type":"CREATED","payload":{"name":"Zoë [x], \"y\" {z}","list":[1,[2,{"k":"]"}]]}}""";
    private const string Second = """{"aggregateId":"a-2","aggregateVersion":1,"type":"T","timestamp":1700000000001,"threadCounter":0,"threadId":2,"payload":"ünïcødé ✓ 𝄞"}""";
    private const string Third = """{"threadId":1,"threadCounter":1,"timestamp":1700000000002,"aggregateId":"a-1","aggregateVersion":2,"type":"","payload":null}""";

    private static List<string> Read(byte[] input, Encoding? encoding = null, bool versionless = false, int chunk = 0)
    {
        Stream stream = chunk > 0 ? new TrickleStream(input, chunk) : new MemoryStream(input);
        using var reader = new NdjsonEventReader(InputEncoding.AsUtf8(stream, encoding));
        return reader.ReadEvents(versionless).Select(e => $"{e.ThreadId} {e.ThreadCounter} {e.Timestamp} {e.AggregateId} {e.AggregateVersion} {e.Type} {e.PayloadJson}").ToList();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static readonly List<string> Expected = Read(Utf8($"{First}\n{Second}\n{Third}\n"));

    [Theory]
    [InlineData("[{0},{1},{2}]")]
    [InlineData("  \r\n[\n  {0},\n  {1} ,\n\t{2}\n]\n\n")]
    [InlineData("\uFEFF[{0},{1},{2}]")]
    public void An_array_gives_the_events_its_NDJSON_form_gives(string shape)
    {
        var text = shape.Replace("{0}", First).Replace("{1}", Second).Replace("{2}", Third);
        Assert.Equal(3, Expected.Count);
        Assert.Equal(Expected, Read(Utf8(text)));
        Assert.Equal(Expected, Read(Utf8(text), chunk: 7));
    }

    [Fact]
    public void A_pretty_printed_array_with_elements_over_many_lines_reads_the_same()
    {
        var pretty = System.Text.Json.JsonSerializer.Serialize(
            System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>($"[{First},{Second},{Third}]"),
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("\n    \"payload\"", pretty);
        Assert.Equal(Expected, Read(Utf8(pretty), chunk: 5));
    }

    [Fact]
    public void An_empty_array_holds_no_events_and_a_versionless_array_reads_as_an_incremental_batch()
    {
        Assert.Empty(Read(Utf8(" [ ] ")));
        var batch = Read(Utf8("""[{"aggregateId":"x","type":"T","timestamp":5,"payload":{}}]"""), versionless: true);
        Assert.Equal(["0 0 5 x 0 T {}"], batch);
    }

    [Fact]
    public void A_huge_element_is_read_whole_through_small_reads()
    {
        var big = new string('q', 3_000_000);
        var element = """{"threadId":0,"threadCounter":0,"timestamp":1,"aggregateId":"h","aggregateVersion":1,"type":"H","payload":{"s":"BIG"}}""".Replace("BIG", big);
        var events = Read(Utf8($"[{element},{Second}]"), chunk: 65536);
        Assert.Equal(2, events.Count);
        Assert.EndsWith(big + "\"}", events[0]);
    }

    [Theory]
    [InlineData("[{0},{1}", "not closed")]
    [InlineData("[{0},{1},]", "A comma is followed by the end of the array")]
    [InlineData("[{0} {1}]", "separated by commas")]
    [InlineData("[{0},,{1}]", "empty element")]
    [InlineData("[{0},42]", "must be a JSON object")]
    [InlineData("[{0}] [{1}]", "goes on after the array")]
    [InlineData("[{0},{\"threadId\":1,}]", "not valid JSON")]
    public void A_malformed_array_names_the_element_and_its_byte_offset(string shape, string reason)
    {
        var text = shape.Replace("{0}", First).Replace("{1}", Second);
        var error = Assert.Throws<EventStoreException>(() => Read(Utf8(text)));
        Assert.Contains(reason, error.Message);
        Assert.Matches(@"^Array element \[\d+\] \(at byte \d+\): ", error.Message);
    }

    [Fact]
    public void The_offset_of_an_element_is_its_first_byte_in_the_input()
    {
        var text = $"[{First},\n {Second},\n 7]";
        var error = Assert.Throws<EventStoreException>(() => Read(Utf8(text)));
        var offset = Encoding.UTF8.GetByteCount(text[..text.LastIndexOf('7')]);
        Assert.StartsWith($"Array element [2] (at byte {offset}): ", error.Message);
    }

    [Theory]
    [InlineData("latin1")]
    [InlineData("iso-8859-1")]
    [InlineData("windows-1252")]
    [InlineData("1252")]
    [InlineData("unicode")]
    [InlineData("bigendianunicode")]
    [InlineData("utf-16")]
    [InlineData("utf32")]
    public void Text_in_another_charset_gives_the_events_its_UTF8_form_gives(string name)
    {
        // Latin-1 and Windows-1252 cannot carry the astral character, so those get a text they can.
        var latin = name is "latin1" or "iso-8859-1" or "windows-1252" or "1252";
        var second = latin ? Second.Replace("ünïcødé ✓ 𝄞", "ünïcødé ÿ") : Second;
        var text = $"[{First},{second},{Third}]";
        var encoding = InputEncoding.Resolve(name);
        var expected = Read(Utf8(text));
        Assert.Equal(expected, Read(encoding.GetBytes(text), encoding, chunk: 3));
        if (!latin) Assert.Equal(expected, Read([.. encoding.GetPreamble(), .. encoding.GetBytes(text)], encoding: null, chunk: 3));
    }

    [Fact]
    public void A_byte_order_mark_wins_over_the_declared_charset()
    {
        var text = $"{First}\n{Second}\n";
        Assert.Equal(Read(Utf8(text)), Read([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)], InputEncoding.Resolve("latin1")));
    }

    [Fact]
    public void A_byte_that_is_not_valid_in_the_declared_charset_is_an_error_with_its_offset()
    {
        var utf8 = Utf8($"[{First},{Second}]");
        var bad = (byte[])utf8.Clone();
        var at = Array.IndexOf(bad, (byte)'Z');
        bad[at] = 0xFF;
        var error = Assert.Throws<EventStoreException>(() => Read(bad));
        Assert.Contains($"not valid UTF-8 (at byte {at})", error.Message);
        Assert.Contains("-Encoding", error.Message);

        var utf16 = Encoding.Unicode.GetBytes($"[{First}]");
        var lone = utf16.Concat(new byte[] { 0x00, 0xD8, 0x41, 0x00 }).ToArray();
        var decodeError = Assert.Throws<EventStoreException>(() => Read(lone, InputEncoding.Resolve("unicode")));
        // .NET's UTF-16 decoder notices a lone high surrogate at the unit after it.
        Assert.Matches($@"\(offset ({utf16.Length}|{utf16.Length + 2})\)", decodeError.Message);
        Assert.Contains("not valid utf-16", decodeError.Message);
    }

    /// <summary>A stream that gives at most a few bytes a read, as a pipe or a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override bool CanSeek => false;
    }
}
