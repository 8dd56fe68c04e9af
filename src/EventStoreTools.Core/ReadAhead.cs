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

    /// <summary>A payload longer than this is read ahead of nothing: see <see cref="Ahead{T}(IEnumerable{T}, Func{T, ResolveEvent}, CancellationToken)"/>.</summary>
    private const int HugePayloadBytes = 1 << 20;

    /// <param name="cancellation">Ends a wait for the next item (Ctrl+C); the source should observe it too.</param>
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, CancellationToken cancellation = default) =>
        Ahead(source, cancellation, isHuge: null);

    /// <summary>
    /// As <see cref="Ahead{T}(IEnumerable{T}, CancellationToken)"/> for items that carry an event: after an event
    /// with a huge payload the worker waits until the consumer is done with it, so that no two huge payloads
    /// (the one being written and the next being read) are held at once, and memory stays within a few times
    /// the largest payload.
    /// </summary>
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, Func<T, ResolveEvent> eventOf, CancellationToken cancellation = default) =>
        Ahead(source, cancellation, item => eventOf(item).PayloadUtf8.Length > HugePayloadBytes);

    private static IEnumerable<T> Ahead<T>(IEnumerable<T> source, CancellationToken cancellation, Func<T, bool>? isHuge)
    {
        var channel = Channel.CreateBounded<Batch<T>>(new BoundedChannelOptions(BatchesInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var hugeItemDone = new SemaphoreSlim(0);
        var worker = Task.Run(() => Produce(source, isHuge, hugeItemDone, channel.Writer, stop.Token));
        try
        {
            // WaitToReadAsync throws what the worker failed with (an EventStoreException from the source).
            while (channel.Reader.WaitToReadAsync(cancellation).AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    foreach (var item in batch) yield return item;
                    if (batch.EndsWithHugeItem) hugeItemDone.Release();
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

    private static async Task Produce<T>(IEnumerable<T> source, Func<T, bool>? isHuge, SemaphoreSlim hugeItemDone, ChannelWriter<Batch<T>> writer, CancellationToken stop)
    {
        try
        {
            var batch = new Batch<T>(BatchSize);
            Exception? failure = null;
            try
            {
                foreach (var item in source)
                {
                    batch.Add(item);
                    batch.EndsWithHugeItem = isHuge?.Invoke(item) == true;
                    if (batch.Count < BatchSize && !batch.EndsWithHugeItem) continue;
                    await writer.WriteAsync(batch, stop).ConfigureAwait(false);
                    if (batch.EndsWithHugeItem) await hugeItemDone.WaitAsync(stop).ConfigureAwait(false);
                    batch = new Batch<T>(BatchSize);
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

    private sealed class Batch<T>(int capacity) : List<T>(capacity)
    {
        /// <summary>The last item is huge: the worker waits until the consumer is done with it.</summary>
        public bool EndsWithHugeItem;
    }
}
