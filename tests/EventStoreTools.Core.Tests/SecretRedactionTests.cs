using EventStoreTools.Core.Ndjson;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>An error about a secrets line or a secret names it by id and idx, never by its text.</summary>
public class SecretRedactionTests
{
    [Theory]
    [InlineData("""{"secret":"hunter2","id":42,"idx":0}""", """{"secret":"<redacted>","id":42,"idx":0}""")]
    [InlineData("""{"id":"user-1","idx":"7","secret":"hunter2"}""", """{"id":"user-1","idx":"7","secret":"<redacted>"}""")]
    [InlineData("""{"secret":{"nested":"hunter2"},"id":"u","idx":1,"extra":"hunter2"}""", """{"secret":"<redacted>","id":"u","idx":1,"<redacted>":"<redacted>"}""")]
    [InlineData("""{"hunter2":"x","id":"u","idx":1}""", """{"<redacted>":"<redacted>","id":"u","idx":1}""")]
    [InlineData("""{"secret":"hunter2","id":["hunter2"],"idx":1}""", """{"secret":"<redacted>","id":"<redacted>","idx":1}""")]
    public void A_secrets_line_shows_its_id_and_idx_only(string line, string shown) =>
        Assert.Equal(shown, NdjsonSecrets.Redact(line));

    [Theory]
    [InlineData("""{"secret":"hunter2","id":"u","idx":1""")]
    [InlineData("""hunter2""")]
    [InlineData("""["hunter2"]""")]
    [InlineData("""{"secret":hunter2,"id":"u","idx":1}""")]
    public void A_line_that_is_not_one_object_shows_nothing(string line) =>
        Assert.DoesNotContain("hunter2", NdjsonSecrets.Redact(line));

    [Fact]
    public void A_secret_prints_without_its_text()
    {
        var secret = new ResolveSecret("hunter2", "user-1", 3);
        Assert.DoesNotContain("hunter2", secret.ToString());
        Assert.DoesNotContain("hunter2", secret.Key.ToString());
        Assert.Equal("secret id 'user-1', idx 3", secret.Key.ToString());
    }
}
