using Xunit;

namespace EventStoreTools.Core.Tests;

public class ResolveCursorTests
{
    // spec 4.4: counters [0]=1, [5]=3, [255]=2^48-1, as Node's threadArrayToCursor writes them.
    private static readonly string SpecExample =
        "AAAAAAAB" + new string('A', 32) + "AAAAAAAD" + new string('A', 2048 - 48 - 8) + "////////";

    [Fact]
    public void Reads_and_writes_the_spec_example()
    {
        var cursor = ResolveCursor.Parse(SpecExample);
        Assert.Equal(1, cursor.Counters[0]);
        Assert.Equal(3, cursor.Counters[5]);
        Assert.Equal(ResolveCursor.MaxCounter, cursor.Counters[255]);
        Assert.Equal(253, cursor.Counters.Count(c => c == 0));
        Assert.Equal(SpecExample, cursor.ToString());
    }

    [Fact]
    public void Start_is_all_zeros_and_null_means_start()
    {
        Assert.Equal(new string('A', 2048), ResolveCursor.Start.ToString());
        Assert.True(ResolveCursor.Parse(null).IsStart);
    }

    [Fact]
    public void Advances_as_reSolve_does()
    {
        var cursor = ResolveCursor.Start;
        var before = cursor.Counters;
        cursor.Advance(new ResolveEvent { ThreadId = 7, ThreadCounter = 4 });
        Assert.Equal(0, before[7]);
        cursor.Advance(new ResolveEvent { ThreadId = 7, ThreadCounter = 2 });
        Assert.Equal(5, cursor.Counters[7]);
        Assert.Equal(cursor.ToString(), ResolveCursor.Parse(cursor.ToString()).ToString());
    }

    [Theory]
    [InlineData("AAAA", "Wrong size of cursor buffer")]
    [InlineData("not base64 at all!", "Wrong size of cursor buffer")]
    public void Rejects_malformed_cursors_with_reSolve_message(string text, string message)
    {
        var ex = Assert.Throws<EventStoreException>(() => ResolveCursor.Parse(text));
        Assert.Equal(EventStoreErrorKind.InvalidCursor, ex.Kind);
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Rejects_a_cursor_that_is_not_canonical_base64()
    {
        var spaced = SpecExample[..1000] + " " + SpecExample[1000..];
        var ex = Assert.Throws<EventStoreException>(() => ResolveCursor.Parse(spaced));
        Assert.Contains("canonical", ex.Message);
    }

    [Fact]
    public void Rejects_counter_arrays_of_the_wrong_size()
    {
        var ex = Assert.Throws<EventStoreException>(() => ResolveCursor.FromCounters(new long[255]));
        Assert.Equal("Cursor must be represented by array of 256 numbers.", ex.Message);
    }
}
