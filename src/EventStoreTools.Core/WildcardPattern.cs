namespace EventStoreTools.Core;

/// <summary>
/// The wildcards of <see cref="EventFilter.EventTypes"/> and <see cref="EventFilter.AggregateIds"/>: * (any
/// characters) and ? (one character), case-sensitive like the exact match. Engines translate them with the
/// helpers here, so every engine matches the same events.
/// </summary>
public static class WildcardPattern
{
    public static bool HasWildcards(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>SQLite GLOB: * and ? are the same; [ starts a character class there, so it is escaped as [[].</summary>
    public static string ToGlob(string pattern) => pattern.Replace("[", "[[]", StringComparison.Ordinal);

    /// <summary>SQL LIKE with the given escape character (case-sensitive in PostgreSQL, use GLOB in SQLite).</summary>
    public static string ToLike(string pattern, char escape = '\\')
    {
        var builder = new System.Text.StringBuilder(pattern.Length + 8);
        foreach (var c in pattern)
        {
            switch (c)
            {
                case '*': builder.Append('%'); break;
                case '?': builder.Append('_'); break;
                case '%' or '_': builder.Append(escape).Append(c); break;
                default:
                    if (c == escape) builder.Append(escape);
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A LIKE pattern for values starting with a prefix (tab completion), with the given escape.</summary>
    public static string PrefixToLike(string prefix, char escape = '\\') => ToLike(prefix + "*", escape);
}
