using System.Threading.Channels;

namespace EventStoreTools.Core;

/// <summary>
/// Enumerates a source on a worker thread, a few batches ahead of the consumer, so reading (SQLite, JSON
/// parsing) overlaps with what the consumer does with each item (formatting, the pipeline, inserting) on the
/// second core. Memory stays bounded by the batches in flight. The source is enumerated and disposed on the
/// worker only, and the worker has finished when the enumeration ends, so a caller may dispose what the
/// source reads from (a connection) right after its foreach.
/// </summary>
public static class ReadAhead
{
    private const int BatchSize = 256;
    private const int BatchesInFlight = 8;

    /// <param name="cancellation">Ends a wait for the next item (Ctrl+C); the source should observe it too.</param>
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, CancellationToken cancellation = default)
    {
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(BatchesInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var worker = Task.Run(() => Produce(source, channel.Writer, stop.Token));
        try
        {
            // WaitToReadAsync throws what the worker failed with (an EventStoreException from the source).
            while (channel.Reader.WaitToReadAsync(cancellation).AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var item in batch) yield return item;
                }
            }
        }
        finally
        {
            // The consumer stopped (done, failed, or left early): the worker stops at its next item.
            stop.Cancel();
            worker.GetAwaiter().GetResult();
        }
    }

    private static async Task Produce<T>(IEnumerable<T> source, ChannelWriter<List<T>> writer, CancellationToken stop)
    {
        try
        {
            var batch = new List<T>(BatchSize);
            Exception? failure = null;
            try
            {
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count < BatchSize) continue;
                    await writer.WriteAsync(batch, stop).ConfigureAwait(false);
                    batch = new List<T>(BatchSize);
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                // The items read before the failure still reach the consumer, then the failure does.
                failure = ex;
            }
            if (batch.Count > 0) await writer.WriteAsync(batch, stop).ConfigureAwait(false);
            writer.Complete(failure);
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
        }
    }
}
