using System.Text;
using System.Text.Json;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Ndjson;

/// <summary>
/// reSolve's secrets export (secrets.db): one JSON.stringify({secret, id, idx}) per line, in that key order
/// (spec 7.1). Secrets are few and small, so lines are read with a plain text reader.
/// </summary>
public static class NdjsonSecrets
{
    public static string FormatLine(ResolveSecret secret) =>
        $"{{\"secret\":{(secret.Secret is null ? "null" : JsJson.QuoteString(secret.Secret))},\"id\":{JsJson.QuoteString(secret.Id)},\"idx\":{secret.Idx}}}\n";

    /// <summary>Writes the secrets to a file, which a new file gets readable by its owner only; returns how many.</summary>
    public static long Write(string path, IEnumerable<ResolveSecret> secrets)
    {
        using var file = Files.NewFileAccess.Private.Create(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 4096);
        return Write(file, secrets);
    }

    /// <summary>Writes the secrets to a stream, which stays open; returns how many.</summary>
    public static long Write(Stream stream, IEnumerable<ResolveSecret> secrets)
    {
        long count = 0;
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
        foreach (var secret in secrets)
        {
            writer.Write(FormatLine(secret));
            count++;
        }
        return count;
    }

    /// <summary>Reads reSolve's secrets file: keys in any order, a BOM and CRLF accepted, errors name the line.</summary>
    public static IEnumerable<ResolveSecret> Read(string path) => Read(() => OpenText(path), path);

    /// <summary>Reads secrets from a stream of decompressed bytes, which it owns; <paramref name="path"/> names it in errors.</summary>
    public static IEnumerable<ResolveSecret> Read(Stream stream, string path) =>
        Read(() => new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true), path);

    private static IEnumerable<ResolveSecret> Read(Func<StreamReader> open, string path)
    {
        using var reader = open();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 && reader.Peek() < 0) yield break;
            yield return Parse(line, lineNumber, path);
        }
    }

    private static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(Backups.CompressedFile.OpenRead(path), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        }
        catch (EventStoreException ex) when (ex.Kind == EventStoreErrorKind.InputNotFound)
        {
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"Cannot read the secrets file '{path}': {ex.Message}", ex);
        }
    }

    private static ResolveSecret Parse(string line, long lineNumber, string path)
    {
        string? secret = null, id = null;
        long? idx = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Error("The line must hold a JSON object.");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "secret" when reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                        secret = reader.GetString();
                        break;
                    case "id" when reader.TokenType == JsonTokenType.String:
                        id = reader.GetString();
                        break;
                    case "idx" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value):
                        idx = value;
                        break;
                    case "secret" or "id" or "idx":
                        throw Error($"The field \"{name}\" has the wrong type ({reader.TokenType}).");
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw Error($"The line is not valid JSON: {ex.Message}");
        }
        if (id is null || idx is null)
            throw Error("A secret needs the fields \"id\" (a string) and \"idx\" (a whole number).");
        return new ResolveSecret(secret, id, idx.Value);

        EventStoreException Error(string message) =>
            new(EventStoreErrorKind.InvalidInput, $"{path}, line {lineNumber}: {message}") { LineNumber = lineNumber, Line = Redact(line) };
    }

    /// <summary>What an error shows of a secret.</summary>
    public const string RedactedValue = "<redacted>";

    private const int MaxLineShownInErrors = 300;

    /// <summary>
    /// A secrets line as an error may show it (its target, Get-Error): the "id" and "idx" values as written, every
    /// other value (and the name of any other key) replaced by <see cref="RedactedValue"/>, as the connection string's password never reaches an
    /// error either. A line that is not one JSON object cannot be told apart, so none of it is shown.
    /// </summary>
    public static string Redact(string line)
    {
        var shown = new StringBuilder("{");
        try
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return NotShown;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (shown.Length > 1) shown.Append(',');
                // A key of another name may itself be text that belongs to a secret (a line written wrongly).
                shown.Append(JsJson.QuoteString(name is "secret" or "id" or "idx" ? name : RedactedValue)).Append(':');
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var primitive = reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
                reader.Skip();
                if (name is "id" or "idx" && primitive)
                    shown.Append(Encoding.UTF8.GetString(bytes, start, (int)reader.BytesConsumed - start));
                else
                    shown.Append(JsJson.QuoteString(RedactedValue));
            }
        }
        catch (JsonException)
        {
            return NotShown;
        }
        shown.Append('}');
        return shown.Length > MaxLineShownInErrors ? shown.ToString(0, MaxLineShownInErrors) + "…" : shown.ToString();
    }

    private const string NotShown = "<not shown: a secrets line that is not one JSON object may hold a secret anywhere>";
}
