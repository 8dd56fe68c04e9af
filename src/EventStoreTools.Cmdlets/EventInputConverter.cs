using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using EventStoreTools.Core;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Turns whatever arrives on the pipeline into a <see cref="ResolveEvent"/>: our own typed events as they are,
/// and PSCustomObjects (ConvertFrom-Json, Import-Csv) or hashtables by reading their properties ourselves,
/// which is several times faster than PowerShell's binding by property name.
/// </summary>
internal static class EventInputConverter
{
    private static readonly string[] StoredFields = ["threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type"];
    private static readonly string[] VersionlessFields = ["timestamp", "aggregateId", "type"];

    /// <param name="input">A pipeline object.</param>
    /// <param name="versionless">
    /// True for incremental import, which takes only timestamp, aggregateId, type and payload (reSolve's
    /// VersionlessEvent); thread fields and version are then neither required nor read.
    /// </param>
    /// <param name="warn">Told when a text payload (a CSV column) is not JSON and is stored as a JSON string.</param>
    public static ResolveEvent Convert(object input, bool versionless = false, Action<string>? warn = null)
    {
        var baseObject = input is PSObject ps ? ps.BaseObject : input;
        if (baseObject is ResolveEvent typed) return typed;

        Func<string, object?> get = baseObject switch
        {
            IDictionary dictionary => name => Lookup(dictionary, name),
            _ when input is PSObject psObject => name => psObject.Properties[name]?.Value,
            _ => throw InvalidEvent(input, $"An event must be an event object, a PSCustomObject or a hashtable, not {baseObject.GetType().FullName}."),
        };

        var required = versionless ? VersionlessFields : StoredFields;
        var missing = required.Where(name => Unwrap(get(name)) is null).ToList();
        if (missing.Count > 0)
            throw InvalidEvent(input, $"The field {string.Join(", ", missing.Select(m => $"\"{m}\""))} is required in {Describe(input)}.");

        var e = new ResolveEvent
        {
            Timestamp = Integer(input, get, "timestamp"),
            AggregateId = Text(input, get, "aggregateId"),
            Type = Text(input, get, "type"),
        };
        if (!versionless)
        {
            var threadId = Integer(input, get, "threadId");
            e.ThreadId = threadId is >= int.MinValue and <= int.MaxValue
                ? (int)threadId
                : throw InvalidEvent(input, $"threadId ({threadId}) must be an integer from 0 to 255.");
            e.ThreadCounter = Integer(input, get, "threadCounter");
            e.AggregateVersion = Integer(input, get, "aggregateVersion");
        }

        // PayloadJson (as Export-Csv writes our events) is the exact text; otherwise payload is a value. Either
        // way it is stored as JavaScript would write it (the event's PayloadJson canonicalizes).
        if (Unwrap(get("payloadJson")) is string json)
            SetPayload(input, () => e.PayloadJson = json, "payloadJson is not valid JSON");
        else if (Unwrap(get("payload")) is string text && Unwrap(get("timestamp")) is string)
            SetPayload(input, () => e.PayloadJson = TextPayload(input, text, warn), "The payload column cannot be stored");
        else
            SetPayload(input, () => e.PayloadJson = JsJson.Serialize(Unwrap(get("payload"))), "The payload cannot be written as JSON");
        return e;
    }

    /// <summary>
    /// A row of text (Import-Csv, ConvertFrom-Csv: every field a string, the timestamp too) carries its payload as
    /// text, which is JSON when the row was written from events: parsed when it is JSON, otherwise kept as a string
    /// with a warning, since a payload column of plain words is more likely a mistake than the intent.
    /// </summary>
    private static string TextPayload(object input, string text, Action<string>? warn)
    {
        try
        {
            return JsJson.Canonicalize(text);
        }
        catch (System.Text.Json.JsonException)
        {
            warn?.Invoke($"The payload of {Describe(input)} is not JSON text, so it is stored as a JSON string. Write JSON in the payload column (or a payloadJson column) to store an object.");
            return JsJson.QuoteString(text);
        }
    }

    private static object? Lookup(IDictionary dictionary, string name)
    {
        if (dictionary.Contains(name)) return dictionary[name];
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return entry.Value;
        }
        return null;
    }

    private static object? Unwrap(object? value) => value is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : value;

    private static long Integer(object input, Func<string, object?> get, string name)
    {
        var value = Unwrap(get(name));
        switch (value)
        {
            case long l: return l;
            case int i: return i;
            case short or byte or sbyte or ushort or uint: return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong u when u <= long.MaxValue: return (long)u;
            case double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18: return (long)d;
            case decimal m when decimal.Floor(m) == m && m >= long.MinValue && m <= long.MaxValue: return (long)m;
            case BigInteger b when b >= long.MinValue && b <= long.MaxValue: return (long)b;
            // Import-Csv gives every field as text.
            case string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed): return parsed;
        }
        throw InvalidEvent(input, $"The field \"{name}\" must be a whole number, not {DescribeValue(value)}, in {Describe(input)}.");
    }

    private static string Text(object input, Func<string, object?> get, string name) =>
        Unwrap(get(name)) as string
        ?? throw InvalidEvent(input, $"The field \"{name}\" must be a string, not {DescribeValue(Unwrap(get(name)))}, in {Describe(input)}.");

    private static void SetPayload(object input, Action set, string problem)
    {
        try
        {
            set();
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw InvalidEvent(input, $"{problem}: {ex.Message}");
        }
    }

    private static string DescribeValue(object? value) => value switch
    {
        null => "null",
        string s => $"the string '{s}'",
        _ => $"{value} ({value.GetType().Name})",
    };

    private static string Describe(object input)
    {
        try
        {
            var text = JsJson.Serialize(input);
            return text.Length > 300 ? text[..300] + "…" : text;
        }
        catch (System.Text.Json.JsonException)
        {
            return input.ToString() ?? "the event";
        }
    }

    private static EventStoreException InvalidEvent(object input, string message) =>
        new(EventStoreErrorKind.InvalidInput, message) { Event = input };
}
