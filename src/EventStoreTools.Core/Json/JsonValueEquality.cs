using System.Collections;
using System.Collections.Specialized;

namespace EventStoreTools.Core.Json;

/// <summary>
/// Equality of JSON texts as values, as PostgreSQL's JSONB compares them: key order, whitespace and number
/// spelling (1.0 and 1) do not matter, array order does.
/// </summary>
public static class JsonValueEquality
{
    /// <summary>True when both texts hold the same JSON value; text that is not JSON equals no value.</summary>
    public static bool AreEqual(string left, string right)
    {
        if (string.Equals(left, right, StringComparison.Ordinal)) return true;
        try
        {
            return string.Equals(SortedKeys(left), SortedKeys(right), StringComparison.Ordinal);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>JSON.stringify of the value with the keys of every object sorted (by UTF-16 code units, as JavaScript sorts).</summary>
    public static string SortedKeys(string json) => JsJson.Serialize(Sort(JsJson.Parse(json)), out _, keysInGivenOrder: true);

    private static object? Sort(object? value) => value switch
    {
        IDictionary dictionary => SortObject(dictionary),
        IList list => list.Cast<object?>().Select(Sort).ToList(),
        _ => value,
    };

    private static OrderedDictionary SortObject(IDictionary dictionary)
    {
        var sorted = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var key in dictionary.Keys.Cast<string>().Order(StringComparer.Ordinal))
            sorted[key] = Sort(dictionary[key]);
        return sorted;
    }
}
