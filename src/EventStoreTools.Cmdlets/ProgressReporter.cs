using System.Diagnostics;
using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Write-Progress at most every 200 ms, with counts and a rate, and a completed record at the end. Nothing
/// at all when $ProgressPreference is SilentlyContinue or Ignore.
/// </summary>
internal sealed class ProgressReporter
{
    private const long IntervalMilliseconds = 200;
    private readonly Cmdlet _cmdlet;
    private readonly ProgressRecord _record;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _enabled;
    private long _nextReportAt = IntervalMilliseconds;
    private bool _reported;

    /// <param name="silent">Report nothing, whatever $ProgressPreference says (the output is the process's standard output).</param>
    public ProgressReporter(PSCmdlet cmdlet, int activityId, string activity, bool silent = false)
    {
        _cmdlet = cmdlet;
        _record = new ProgressRecord(activityId, activity, "Starting");
        _enabled = !silent && cmdlet.GetVariableValue("ProgressPreference") is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <param name="events">Events done so far.</param>
    /// <param name="done">Work done so far, in the unit of <paramref name="total"/> (events or bytes).</param>
    /// <param name="total">Total work, when known.</param>
    /// <param name="status">What to show instead of the count and rate.</param>
    public void Report(long events, long done = 0, long total = 0, string? status = null)
    {
        if (!_enabled || _clock.ElapsedMilliseconds < _nextReportAt) return;
        _nextReportAt = _clock.ElapsedMilliseconds + IntervalMilliseconds;
        var rate = events / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        _record.StatusDescription = status ?? $"{Quantity.Of(events, "event")}, {rate:N0} events/s";
        _record.PercentComplete = total > 0 ? (int)Math.Min(100, done * 100 / total) : -1;
        if (total > 0 && done > 0)
            _record.SecondsRemaining = (int)Math.Min(int.MaxValue, _clock.Elapsed.TotalSeconds * (total - done) / done);
        Write();
    }

    /// <summary>A step that takes a while without counting events (building indexes, committing): shown at once.</summary>
    public void Phase(string status)
    {
        if (!_enabled) return;
        _record.StatusDescription = status;
        _record.PercentComplete = -1;
        _record.SecondsRemaining = -1;
        Write();
    }

    public void Complete()
    {
        if (!_reported) return;
        _record.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(_record);
    }

    private void Write()
    {
        _cmdlet.WriteProgress(_record);
        _reported = true;
    }
}
