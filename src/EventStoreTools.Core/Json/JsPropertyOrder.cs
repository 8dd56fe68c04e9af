namespace EventStoreTools.Core.Json;

/// <summary>
/// The order in which JavaScript lists an object's keys (OrdinaryOwnPropertyKeys), which JSON.stringify
/// writes: keys that are array indexes first, in ascending numeric order, then every other key in the order
/// it was first set. JSON.parse sets a duplicate key again, so the last value wins at the first key's place.
/// </summary>
internal static class JsPropertyOrder
{
    /// <summary>The largest array index, 2^32 - 2.</summary>
    public const uint MaxArrayIndex = 4294967294;

    /// <summary>True for the canonical decimal text of 0..2^32-2: "0" and "10", not "01", "-1", "1.0" or "4294967295".</summary>
    public static bool IsArrayIndex(ReadOnlySpan<byte> key, out uint index)
    {
        index = 0;
        if (key.IsEmpty || key.Length > 10 || (key[0] == (byte)'0' && key.Length > 1)) return false;
        ulong value = 0;
        foreach (var b in key)
        {
            var digit = (uint)(b - (byte)'0');
            if (digit > 9) return false;
            value = value * 10 + digit;
        }
        if (value > MaxArrayIndex) return false;
        index = (uint)value;
        return true;
    }

    public static bool IsArrayIndex(ReadOnlySpan<char> key, out uint index)
    {
        index = 0;
        if (key.IsEmpty || key.Length > 10) return false;
        Span<byte> ascii = stackalloc byte[10];
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] > 0x7f) return false;
            ascii[i] = (byte)key[i];
        }
        return IsArrayIndex(ascii[..key.Length], out index);
    }

    /// <summary>
    /// The entries of an object in JavaScript's order, a later duplicate key replacing the earlier value in its
    /// place. Returns the list it was given when that is already the order (the common case).
    /// </summary>
    public static List<KeyValuePair<string, object?>> Order(List<KeyValuePair<string, object?>> entries)
    {
        if (IsInOrder(entries)) return entries;
        var firstPosition = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        var merged = new List<KeyValuePair<string, object?>>(entries.Count);
        foreach (var entry in entries)
        {
            if (firstPosition.TryGetValue(entry.Key, out var position))
                merged[position] = entry;
            else
            {
                firstPosition.Add(entry.Key, merged.Count);
                merged.Add(entry);
            }
        }
        var indexes = new List<(uint Index, KeyValuePair<string, object?> Entry)>();
        var others = new List<KeyValuePair<string, object?>>(merged.Count);
        foreach (var entry in merged)
        {
            if (IsArrayIndex(entry.Key, out var index)) indexes.Add((index, entry));
            else others.Add(entry);
        }
        indexes.Sort((a, b) => a.Index.CompareTo(b.Index));
        var ordered = new List<KeyValuePair<string, object?>>(merged.Count);
        foreach (var (_, entry) in indexes) ordered.Add(entry);
        ordered.AddRange(others);
        return ordered;
    }

    private static bool IsInOrder(List<KeyValuePair<string, object?>> entries)
    {
        long lastIndex = -1;
        var sawOtherKey = false;
        HashSet<string>? seen = entries.Count > 8 ? new HashSet<string>(entries.Count, StringComparer.Ordinal) : null;
        for (var i = 0; i < entries.Count; i++)
        {
            var key = entries[i].Key;
            if (IsArrayIndex(key, out var index))
            {
                if (sawOtherKey || index <= lastIndex) return false;
                lastIndex = index;
                continue;
            }
            sawOtherKey = true;
            if (seen is not null)
            {
                if (!seen.Add(key)) return false;
            }
            else
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(entries[j].Key, key, StringComparison.Ordinal)) return false;
                }
            }
        }
        return true;
    }
}
