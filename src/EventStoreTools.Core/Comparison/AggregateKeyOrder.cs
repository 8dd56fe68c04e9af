namespace EventStoreTools.Core.Comparison;

/// <summary>
/// The order in which both sides of a comparison are read: aggregateId by its UTF-8 bytes (SQLite's BINARY
/// collation, PostgreSQL's "C"), then aggregateVersion. .NET's ordinal order compares UTF-16 units, which puts
/// characters above U+FFFF before U+E000-U+FFFF; the engines put them after, so the merge would lose its way.
/// </summary>
public static class AggregateKeyOrder
{
    public static int Compare(ResolveEvent a, ResolveEvent b)
    {
        var byId = CompareUtf8(a.AggregateId, b.AggregateId);
        return byId != 0 ? byId : a.AggregateVersion.CompareTo(b.AggregateVersion);
    }

    /// <summary>Compares two strings as their UTF-8 bytes compare (which is code point order).</summary>
    public static int CompareUtf8(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i]) return CodePointRank(a[i]).CompareTo(CodePointRank(b[i]));
        }
        return a.Length.CompareTo(b.Length);
    }

    // Surrogates (D800-DFFF) move above E000-FFFF, which moves down to make room: code point order.
    private static int CodePointRank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
