using System.Text;
using Microsoft.Data.Sqlite;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// Turns an <see cref="EventFilter"/> into the WHERE of the ordered read of a page, with every value bound as a
/// parameter. -First is counted by the reader rather than written as a LIMIT: with a LIMIT on the ordered query,
/// SQLite 3.49 sorts the whole table instead of walking the timestamp index.
/// </summary>
internal static class SqliteEventFilter
{
    /// <summary>
    /// Appends " WHERE ..." (when the filter restricts anything, or a page resumes after an event) to the command
    /// text and binds its values.
    /// </summary>
    /// <param name="after">The last event of the previous page: only events after it in read order.</param>
    public static void ApplyWhere(SqliteCommand command, StringBuilder sql, EventFilter filter, ResolveEvent? after = null)
    {
        var conditions = new List<string>();
        if (after is not null)
            AddPositionCondition(command, conditions, ReadPosition.Of(after), inclusive: false, "after");
        if (filter.From is { } from)
            AddPositionCondition(command, conditions, from, inclusive: true, "from");
        if (filter.ThreadCounters is { } counters)
            AddCursorCondition(command, conditions, counters);
        // An event type usually has a large share of the events: through the type index each page would sort all of
        // them again (quadratic, and a long read lock); the unary + keeps SQLite on the timestamp index, one pass.
        // An aggregate has few events, so its index stays usable.
        if (filter.EventTypes is { } types)
            conditions.Add(ValueCondition(command, "+\"type\"", "type", types));
        if (filter.AggregateIds is { } aggregateIds)
            conditions.Add(ValueCondition(command, "\"aggregateId\"", "aggregate", aggregateIds));
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
    /// (timestamp, threadCounter, threadId) after the position (or at it), a full key since (threadId, threadCounter)
    /// is the primary key. The leading range on "timestamp" alone lets SQLite start in the timestamp index there.
    /// </summary>
    private static void AddPositionCondition(SqliteCommand command, List<string> conditions, ReadPosition position, bool inclusive, string name)
    {
        var threadComparison = inclusive ? ">=" : ">";
        conditions.Add($"""
            "timestamp" >= ${name}Timestamp AND ("timestamp" > ${name}Timestamp OR "threadCounter" > ${name}Counter
              OR ("threadCounter" = ${name}Counter AND "threadId" {threadComparison} ${name}Thread))
            """);
        command.Parameters.AddWithValue($"${name}Timestamp", position.Timestamp);
        command.Parameters.AddWithValue($"${name}Counter", position.ThreadCounter);
        command.Parameters.AddWithValue($"${name}Thread", (long)position.ThreadId);
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
    /// <param name="column">The column as an SQL expression (quoted).</param>
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
                alternatives.Add($"{column} GLOB {name}");
                command.Parameters.AddWithValue(name, WildcardPattern.ToGlob(values[i]));
            }
            else
            {
                exact.Add(name);
                command.Parameters.AddWithValue(name, values[i]);
            }
        }
        if (exact.Count > 0) alternatives.Insert(0, $"{column} IN ({string.Join(", ", exact)})");
        return alternatives.Count == 1 ? alternatives[0] : $"({string.Join(" OR ", alternatives)})";
    }
}
