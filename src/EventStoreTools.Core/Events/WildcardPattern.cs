namespace EventStoreTools.Core;

/// <summary>
/// The wildcards of <see cref="EventFilter.EventTypes"/> and <see cref="EventFilter.AggregateIds"/>: * (any
/// characters) and ? (one character), case-sensitive like the exact match. Engines translate them with the
/// helpers here, so every engine matches the same events.
/// </summary>
public static class WildcardPattern
{
    public static bool HasWildcards(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Whether a value matches a pattern, in memory, as GLOB and LIKE match it in the engines (ordinal, whole value).</summary>
    public static bool IsMatch(string pattern, string value)
    {
        if (!HasWildcards(pattern)) return string.Equals(pattern, value, StringComparison.Ordinal);
        // Greedy with backtracking to the last *: linear for the patterns people type.
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]) && pattern[p] != '*')
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

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
