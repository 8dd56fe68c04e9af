using System.Text;
using EventStoreTools.Core.Ndjson;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class NdjsonTests
{
    private static List<ResolveEvent> Read(string text)
    {
        using var reader = new NdjsonEventReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        return reader.ReadEvents().ToList();
    }

    private static string Write(IEnumerable<ResolveEvent> events)
    {
        var stream = new MemoryStream();
        using (var writer = new NdjsonEventWriter(stream, ownsStream: false))
            foreach (var e in events) writer.Write(e);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Reads_any_key_order_and_writes_reSolve_key_order()
    {
        var events = Read("{\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\",\"payload\":{ \"x\" : 1.50 },\"timestamp\":1,\"threadId\":5,\"threadCounter\":0,\"extra\":[1]}\n");
        Assert.Equal("{\"threadCounter\":0,\"threadId\":5,\"type\":\"T\",\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"payload\":{\"x\":1.5}}\n",
            Write(events));
    }

    [Fact]
    public void Missing_payload_is_written_as_null()
    {
        var events = Read("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\"}");
        Assert.EndsWith(",\"payload\":null}\n", Write(events));
    }

    [Fact]
    public void Accepts_CRLF_a_BOM_and_a_last_line_without_newline()
    {
        var line = "{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\",\"payload\":null}";
        var events = Read("\uFEFF" + line + "\r\n" + line.Replace("\"threadCounter\":0", "\"threadCounter\":1"));
        Assert.Equal(2, events.Count);
        Assert.Equal(1, events[1].ThreadCounter);
    }

    [Fact]
    public void Reads_a_line_longer_than_its_buffer()
    {
        var big = new string('x', 3 << 20);
        var events = Read($"{{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\",\"payload\":\"{big}\"}}\n");
        Assert.Equal($"\"{big}\"", Assert.Single(events).PayloadJson);
    }

    [Theory]
    [InlineData("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\"\n", 1, "not valid JSON")]
    [InlineData("\n", 1, "blank")]
    [InlineData("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\"}\n{\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":null}\n", 2, "The field \"threadId\", \"type\" is required")]
    [InlineData("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1.5,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\"}", 1, "whole number")]
    [InlineData("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":\"1\",\"type\":\"T\"}", 1, "must be a number")]
    [InlineData("[1,2]", 1, "JSON object")]
    public void Bad_lines_fail_with_their_line_number(string text, long line, string message)
    {
        var ex = Assert.Throws<EventStoreException>(() => Read(text));
        Assert.Equal(EventStoreErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Invalid_utf8_fails()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"threadId\":0,\"threadCounter\":0,\"timestamp\":1,\"aggregateId\":\"a\",\"aggregateVersion\":1,\"type\":\"T\",\"payload\":\"\"}\n").ToList();
        bytes.Insert(bytes.Count - 4, 0xC3);
        using var reader = new NdjsonEventReader(new MemoryStream(bytes.ToArray()));
        var ex = Assert.Throws<EventStoreException>(() => reader.ReadEvents().ToList());
        Assert.Contains("UTF-8", ex.Message);
    }
}
