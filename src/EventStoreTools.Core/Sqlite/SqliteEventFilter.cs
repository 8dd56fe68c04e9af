using System.Text;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Turns an <see cref="EventFilter"/> into the WHERE and LIMIT of the one ordered read, with every value
/// bound as a parameter.
/// </summary>
internal static class SqliteEventFilter
{
    /// <summary>Appends " WHERE ..." (when the filter restricts anything) to the command text and binds its values.</summary>
    public static void ApplyWhere(SqliteCommand command, StringBuilder sql, EventFilter filter)
    {
        var conditions = new List<string>();
        if (filter.ThreadCounters is { } counters)
            AddCursorCondition(command, conditions, counters);
        if (filter.EventTypes is { } types)
            conditions.Add(ValueCondition(command, "type", "type", types));
        if (filter.AggregateIds is { } aggregateIds)
            conditions.Add(ValueCondition(command, "aggregateId", "aggregate", aggregateIds));
        if (filter.Since is { } since)
        {
            conditions.Add("\"timestamp\" >= $since");
            command.Parameters.AddWithValue("$since", since);
        }
        if (filter.Until is { } until)
        {
            conditions.Add("\"timestamp\" <= $until");
            command.Parameters.AddWithValue("$until", until);
        }
        if (conditions.Count > 0)
            sql.Append(" WHERE ").AppendJoin(" AND ", conditions);
    }

    /// <summary>
    /// The limit wraps the ordered query: with a LIMIT on it, SQLite 3.49 sorts the whole table instead of
    /// walking the timestamp index (-First 10 of 1M events: 0.26 s instead of nothing). The inner LIMIT -1
    /// keeps the query flattener from undoing the wrap.
    /// </summary>
    public static void ApplyLimit(SqliteCommand command, StringBuilder sql, EventFilter filter)
    {
        if (filter.First is not { } first) return;
        sql.Insert(0, "SELECT * FROM (").Append(" LIMIT -1) LIMIT $first");
        command.Parameters.AddWithValue("$first", Math.Max(0, first));
    }

    /// <summary>
    /// reSolve's vector condition (threadId = i AND threadCounter &gt;= cursor[i] for every i, spec 4.3) written
    /// as one CASE over the threads whose counter is above 0, the only ones that exclude anything.
    /// </summary>
    private static void AddCursorCondition(SqliteCommand command, List<string> conditions, IReadOnlyList<long> counters)
    {
        var cases = new StringBuilder();
        for (var thread = 0; thread < counters.Count; thread++)
        {
            if (counters[thread] <= 0) continue;
            cases.Append($" WHEN {thread} THEN $cursor{thread}");
            command.Parameters.AddWithValue($"$cursor{thread}", counters[thread]);
        }
        if (cases.Length > 0)
            conditions.Add($"\"threadCounter\" >= CASE \"threadId\"{cases} ELSE 0 END");
    }

    /// <summary>Exact values as one IN list (index-friendly), wildcard patterns as case-sensitive GLOBs.</summary>
    private static string ValueCondition(SqliteCommand command, string column, string parameterPrefix, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return "0";
        var exact = new List<string>();
        var alternatives = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var name = $"${parameterPrefix}{i}";
            if (WildcardPattern.HasWildcards(values[i]))
            {
                alternatives.Add($"\"{column}\" GLOB {name}");
                command.Parameters.AddWithValue(name, WildcardPattern.ToGlob(values[i]));
            }
            else
            {
                exact.Add(name);
                command.Parameters.AddWithValue(name, values[i]);
            }
        }
        if (exact.Count > 0) alternatives.Insert(0, $"\"{column}\" IN ({string.Join(", ", exact)})");
        return alternatives.Count == 1 ? alternatives[0] : $"({string.Join(" OR ", alternatives)})";
    }
}
