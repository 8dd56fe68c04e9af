using EventStoreTools.Core.Incremental;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class IncrementalImportSessionTests
{
    [Fact]
    public void The_start_time_is_read_from_an_id_of_resolves_form()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = IncrementalImportId.New();
        var started = IncrementalImportSession.StartTimeOf(id);
        Assert.NotNull(started);
        Assert.InRange(started!.Value.ToUnixTimeMilliseconds(), before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void An_id_written_by_resolve_gives_its_time() =>
        // Base64 of "1670000000000" + "0.8329104627541342", '=' replaced by 'z' (reSolve's own example).
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1670000000000), IncrementalImportSession.StartTimeOf("MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz"));

    [Theory]
    [InlineData("my-import")]
    [InlineData("")]
    [InlineData("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")]
    public void An_id_of_another_form_has_no_start_time(string id) => Assert.Null(IncrementalImportSession.StartTimeOf(id));

    [Fact]
    public void Its_text_is_the_import_id() => Assert.Equal("abc", new IncrementalImportSession("s.db", "abc").ToString());
}
