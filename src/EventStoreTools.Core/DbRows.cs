using System.Data.Common;

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
    /// An event from a row whose columns are, in order, threadId, threadCounter, timestamp, aggregateId,
    /// aggregateVersion, type (and the payload, which each engine reads its own way).
    /// </summary>
    public static ResolveEvent ReadEvent(DbDataReader reader, string payloadJson) => new()
    {
        ThreadId = (int)reader.GetInt64(0),
        ThreadCounter = reader.GetInt64(1),
        Timestamp = reader.GetInt64(2),
        AggregateId = reader.GetString(3),
        AggregateVersion = reader.GetInt64(4),
        Type = reader.GetString(5),
        PayloadJson = payloadJson,
    };

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
