using System.Data.Common;
using System.Text;
using System.Text.Json;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core;

/// <summary>Streams the rows of an engine's query, its errors translated: the reading loop of every engine.</summary>
internal static class DbRows
{
    /// <summary>Runs the command (disposed at the end) and reads one value per row, lazily.</summary>
    public static IEnumerable<T> Stream<TReader, T>(DbCommand command, Func<TReader, T> read,
        Func<DbException, EventStoreException> translate, CancellationToken cancellation)
        where TReader : DbDataReader
    {
        using (command)
        {
            TReader reader;
            try
            {
                reader = (TReader)command.ExecuteReader();
            }
            catch (DbException ex)
            {
                throw translate(ex);
            }
            using (reader)
            {
                while (Next(reader, translate))
                {
                    cancellation.ThrowIfCancellationRequested();
                    yield return read(reader);
                }
            }
        }
    }

    /// <summary>
    /// reSolve's importEvents stores a threadId outside 0-255 or a negative threadCounter as given, and its export
    /// then leaves such an event out without a word (no cursor reaches it). Exporting it would write what reSolve
    /// never exports, leaving it out would lose it silently: it is refused, naming the event.
    /// </summary>
    private static void RequireCursorRange(long threadId, long threadCounter)
    {
        if (threadId is >= 0 and <= 255 && threadCounter >= 0) return;
        throw new EventStoreException(EventStoreErrorKind.UnsupportedStoredValue,
            $"The stored event at threadId {threadId}, threadCounter {threadCounter} is outside reSolve's cursor range (threadId 0-255, threadCounter from 0): " +
            "reSolve's export leaves it out silently; these tools refuse it rather than drop it or write it. Correct the row in the store first.")
        {
            Event = new StoredEventKey((int)Math.Clamp(threadId, int.MinValue, int.MaxValue), threadCounter),
        };
    }

    /// <summary>
    /// An event from a row whose columns are, in order, threadId, threadCounter, timestamp, aggregateId,
    /// aggregateVersion, type (and the payload, which each engine reads its own way). The payload text is
    /// canonicalized as reSolve's export does (JSON.parse, then JSON.stringify), so a store that holds other
    /// text (written by another tool, or JSONB's own text) exports as reSolve exports it.
    /// </summary>
    public static ResolveEvent ReadEvent(DbDataReader reader, string payloadJson) => ReadEvent(reader, payloadJson, default);

    /// <summary>As <see cref="ReadEvent(DbDataReader, string)"/>, the payload as UTF-8 text (kept, not copied, when it is canonical).</summary>
    public static ResolveEvent ReadEvent(DbDataReader reader, ReadOnlyMemory<byte> payloadUtf8) => ReadEvent(reader, null, payloadUtf8);

    private static ResolveEvent ReadEvent(DbDataReader reader, string? payloadJson, ReadOnlyMemory<byte> payloadUtf8)
    {
        var threadId = reader.GetInt64(0);
        var threadCounter = reader.GetInt64(1);
        RequireCursorRange(threadId, threadCounter);
        var e = new ResolveEvent
        {
            ThreadId = (int)threadId,
            ThreadCounter = threadCounter,
            Timestamp = reader.GetInt64(2),
            AggregateId = reader.GetString(3),
            AggregateVersion = reader.GetInt64(4),
            Type = reader.GetString(5),
        };
        try
        {
            if (payloadJson is not null) e.PayloadJson = payloadJson;
            else e.SetCanonicalPayloadUtf8(JsJson.CanonicalizeUtf8(payloadUtf8, out var depth), depth);
        }
        catch (JsonException ex)
        {
            var shown = payloadJson ?? Encoding.UTF8.GetString(payloadUtf8.Span[..Math.Min(payloadUtf8.Length, 400)]);
            shown = shown.Length > 100 ? shown[..100] + "…" : shown;
            throw new EventStoreException(EventStoreErrorKind.CorruptPayload,
                $"The stored event at threadId {e.ThreadId}, threadCounter {e.ThreadCounter} (type '{e.Type}', aggregate '{e.AggregateId}' version {e.AggregateVersion}) " +
                $"has a payload that is not JSON ({ex.Message}): {shown}", ex)
            {
                Event = new StoredEventKey(e.ThreadId, e.ThreadCounter),
            };
        }
        return e;
    }

    private static bool Next(DbDataReader reader, Func<DbException, EventStoreException> translate)
    {
        try
        {
            return reader.Read();
        }
        catch (DbException ex)
        {
            throw translate(ex);
        }
    }
}
