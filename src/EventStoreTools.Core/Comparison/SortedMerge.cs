namespace EventStoreTools.Core.Comparison;

/// <summary>
/// Pairs the items of two streams sorted by the same key, as a merge join does: one item of each side in memory.
/// Each side must be strictly ascending; a side that is not (a duplicate key, or an engine sorting another way)
/// fails rather than report differences that are not there.
/// </summary>
internal static class SortedMerge
{
    /// <summary>(left, null): only on the left; (null, right): only on the right; both: the same key.</summary>
    public static IEnumerable<(T? Left, T? Right)> Pair<T>(IEnumerable<T> left, IEnumerable<T> right, Func<T, T, int> compare, Func<string, T, T, Exception> outOfOrder)
        where T : class
    {
        using var lefts = new Ascending<T>(left, compare, (previous, next) => outOfOrder("reference", previous, next));
        using var rights = new Ascending<T>(right, compare, (previous, next) => outOfOrder("difference", previous, next));
        var l = lefts.Next();
        var r = rights.Next();
        while (l is not null || r is not null)
        {
            var order = l is null ? 1 : r is null ? -1 : compare(l, r);
            if (order < 0)
            {
                yield return (l, null);
                l = lefts.Next();
            }
            else if (order > 0)
            {
                yield return (null, r);
                r = rights.Next();
            }
            else
            {
                yield return (l, r);
                l = lefts.Next();
                r = rights.Next();
            }
        }
    }

    private sealed class Ascending<T>(IEnumerable<T> items, Func<T, T, int> compare, Func<T, T, Exception> outOfOrder) : IDisposable
        where T : class
    {
        private readonly IEnumerator<T> _items = items.GetEnumerator();
        private T? _previous;

        public T? Next()
        {
            if (!_items.MoveNext()) return null;
            var next = _items.Current;
            if (_previous is not null && compare(_previous, next) >= 0) throw outOfOrder(_previous, next);
            _previous = next;
            return next;
        }

        public void Dispose() => _items.Dispose();
    }
}
