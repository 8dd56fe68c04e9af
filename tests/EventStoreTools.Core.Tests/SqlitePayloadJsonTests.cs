using EventStoreTools.Core.Json;
using Microsoft.Data.Sqlite;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// reSolve's insert stores payload text through SQLite's json(); our imports bind canonical text as it is. That is
/// only the same store when json() gives canonical text back byte for byte: checked here with the SQLite library the
/// module ships, on every canonical text of the Node cases and on the shapes the canonicalizer writes.
/// </summary>
public class SqlitePayloadJsonTests
{
    private static readonly string CasesFolder = Path.Combine(TestFiles.RepoRoot, "tests", "EventStoreTools.Core.Tests", "JsCases");

    private static IEnumerable<string> CanonicalTexts()
    {
        foreach (var line in File.ReadLines(Path.Combine(CasesFolder, "canonical-cases.txt"), System.Text.Encoding.UTF8))
            if (line.Length > 0) yield return line.Split('\t')[1];
        // Numbers inside a payload stay text (a top-level number is bound as a number, not through json()).
        foreach (var line in File.ReadLines(Path.Combine(CasesFolder, "number-cases.txt")))
            if (line.Length > 0) yield return $"[{line.Split('\t')[1]}]";
        string[] inputs =
        [
            "{\"a\":\"\\ud800\",\"b\":\"\\udfff x \\ud83d\\ude00\"}",
            "[\"\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\"]",
            "{\"\u2028\":\"\u2029\",\"\":\"\",\"\u007f\":\"é€𝄞\"}",
            "{\"b\":1,\"a\":2,\"1\":3,\"0\":4,\"-1\":5,\"01\":6}",
            "[1e21,1e-7,-0,0.1,123456789012345680000,5e-324,1.7976931348623157e308,-1e-7]",
            "[true,false,null,{},[],\"\",[[]],{\"x\":{}}]",
            "\"a string payload\"",
            "true",
            "null",
            new string('[', JsJson.MaxStoredDepth) + new string(']', JsJson.MaxStoredDepth),
            "{\"text\":\"" + new string('x', 100_000) + "\"}",
        ];
        foreach (var input in inputs) yield return JsJson.Canonicalize(input);
    }

    [Fact]
    public void SQLite_json_gives_canonical_payload_text_back_unchanged()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json($text)";
        var parameter = command.Parameters.Add("$text", SqliteType.Text);
        var failures = new List<string>();
        var count = 0;
        foreach (var text in CanonicalTexts())
        {
            count++;
            parameter.Value = text;
            var stored = (string)command.ExecuteScalar()!;
            if (stored != text) failures.Add($"{text} -> {stored}");
        }
        Assert.True(count > 3000, $"only {count} cases");
        Assert.Empty(failures);
    }
}
