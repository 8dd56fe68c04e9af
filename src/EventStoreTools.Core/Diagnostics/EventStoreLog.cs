using System.Diagnostics;

namespace EventStoreTools.Core;

/// <summary>
/// What the stores do, step by step (store opened, mode, events read and written, indexes built, commit, rename),
/// for a caller that tells it, such as the cmdlets' -Verbose and -Debug. Ambient rather than a parameter of every
/// engine entry point: a caller sets a sink around its calls, and work those calls hand to other threads (reading
/// ahead) carries it along, as an AsyncLocal flows with the execution context. Sinks may be called on any thread.
/// </summary>
public static class EventStoreLog
{
    private static readonly AsyncLocal<Sink?> Current = new();

    /// <summary>Sends the steps of the calls made until the scope ends to these sinks (verbose: each step; debug: the statements run).</summary>
    public static IDisposable Use(Action<string> verbose, Action<string> debug)
    {
        var previous = Current.Value;
        Current.Value = new Sink(verbose, debug);
        return new Scope(previous);
    }

    public static void Write(string message) => Current.Value?.Verbose(message);

    public static void Debug(string message) => Current.Value?.Debug(message);

    /// <summary>Time as a step reports it.</summary>
    public static string Seconds(Stopwatch clock) => $"{clock.Elapsed.TotalSeconds:0.000} s";

    /// <summary>Passes the items on and tells, when the reading ends (to the end or stopped early), how many there were and how long it took.</summary>
    public static IEnumerable<T> Counted<T>(IEnumerable<T> items, string what, string store)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        try
        {
            foreach (var item in items)
            {
                count++;
                yield return item;
            }
        }
        finally
        {
            Write($"Read {count:N0} {what} from {store} in {Seconds(clock)}.");
        }
    }

    private sealed record Sink(Action<string> Verbose, Action<string> Debug);

    private sealed class Scope(Sink? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
