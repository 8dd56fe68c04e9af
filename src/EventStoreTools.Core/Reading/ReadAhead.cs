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

    /// <summary>After huge payloads of this many bytes in all, the worker has them collected (see Produce).</summary>
    private const long CollectedAfterHugeBytes = 32 << 20;

    /// <param name="cancellation">Ends a wait for the next item (Ctrl+C); the source should observe it too.</param>
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, CancellationToken cancellation = default) =>
        Ahead(source, cancellation, hugeBytes: null);

    /// <summary>
    /// As <see cref="Ahead{T}(IEnumerable{T}, CancellationToken)"/> for items that carry an event: after an event
    /// with a huge payload the worker waits until the consumer is done with it, so that no two huge payloads
    /// (the one being written and the next being read) are held at once, and memory stays within a few times
    /// the largest payload.
    /// </summary>
    /// <param name="eventsStayInside">
    /// The consumer hands no event on (it stores or writes them): once it is done with an event with a huge
    /// payload, that payload is dropped from the event, so that it is not held (by the enumerators that read it)
    /// while the next one is read.
    /// </param>
    public static IEnumerable<T> Ahead<T>(this IEnumerable<T> source, Func<T, ResolveEvent> eventOf, bool eventsStayInside, CancellationToken cancellation = default) =>
        Ahead(source, cancellation, item => eventOf(item).PayloadUtf8.Length is var length and > ResolveEvent.HugePayloadBytes ? length : 0,
            eventsStayInside ? item => eventOf(item).DropPayload() : null);

    /// <param name="hugeBytes">The size of an item that is huge, 0 for any other.</param>
    /// <param name="doneWithHuge">What to do with a huge item once the consumer is done with it.</param>
    private static IEnumerable<T> Ahead<T>(IEnumerable<T> source, CancellationToken cancellation, Func<T, long>? hugeBytes, Action<T>? doneWithHuge = null)
    {
        var channel = Channel.CreateBounded<Batch<T>>(new BoundedChannelOptions(BatchesInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var hugeItemDone = new SemaphoreSlim(0);
        var worker = Task.Run(() => Produce(source, hugeBytes, hugeItemDone, channel.Writer, stop.Token));
        try
        {
            // WaitToReadAsync throws what the worker failed with (an EventStoreException from the source).
            while (channel.Reader.WaitToReadAsync(cancellation).AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    // By index: a foreach variable would hold the last item as long as the enumeration lasts.
                    for (var i = 0; i < batch.Count; i++) yield return batch[i];
                    if (!batch.EndsWithHugeItem) continue;
                    doneWithHuge?.Invoke(batch[^1]);
                    batch.Clear();
                    hugeItemDone.Release();
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

    private static async Task Produce<T>(IEnumerable<T> source, Func<T, long>? hugeBytes, SemaphoreSlim hugeItemDone, ChannelWriter<Batch<T>> writer, CancellationToken stop)
    {
        try
        {
            var batch = new Batch<T>(BatchSize);
            Exception? failure = null;
            long hugeBytesUncollected = 0;
            try
            {
                foreach (var item in source)
                {
                    batch.Add(item);
                    var itemHugeBytes = hugeBytes?.Invoke(item) ?? 0;
                    batch.EndsWithHugeItem = itemHugeBytes > 0;
                    if (batch.Count < BatchSize && !batch.EndsWithHugeItem) continue;
                    await writer.WriteAsync(batch, stop).ConfigureAwait(false);
                    batch = new Batch<T>(BatchSize);
                    if (itemHugeBytes == 0) continue;
                    await hugeItemDone.WaitAsync(stop).ConfigureAwait(false);
                    hugeBytesUncollected += itemHugeBytes;
                    if (hugeBytesUncollected < CollectedAfterHugeBytes) continue;
                    // The huge payloads done with are garbage in the large object heap, which the collector reaches
                    // only now and then: collected before the next one is read, their memory is reused for it.
                    GC.Collect();
                    hugeBytesUncollected = 0;
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
