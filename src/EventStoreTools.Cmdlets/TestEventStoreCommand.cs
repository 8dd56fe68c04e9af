using System.Management.Automation;
using EventStoreTools.Core;
using EventStoreTools.Core.Backups;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Verification;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Test-EventStore: checks a store or a backup without restoring it (a SQLite file, a PostgreSQL schema, an
/// NDJSON export plain or compressed, a backup folder) and writes one result per store with IsValid, the
/// counts and every problem found. Problems are output, not errors: a script tests .IsValid.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "EventStore", DefaultParameterSetName = PathSet)]
[OutputType(typeof(StoreCheckResult))]
public sealed class TestEventStoreCommand : StoreListCmdlet
{
    /// <summary>Skip what reads every event: SQLite's quick_check instead of integrity_check, schema, counts and markers only.</summary>
    [Parameter]
    public SwitchParameter Quick { get; set; }

    /// <summary>The store must be whole: threads whose counters do not run from 0 and aggregates whose versions do not run from 1 are problems, not a note.</summary>
    [Parameter]
    public SwitchParameter Complete { get; set; }

    protected override void ProcessRecord()
    {
        if (!RequireOneEngine(StorePaths))
        {
            var store = (PostgresEventStore)OpenStore();
            Run(() => WriteObject(EventStoreVerifier.CheckPostgres(store.ConnectionString, store.Schema, Quick, Complete, Cancellation)), store.DisplayName);
            return;
        }
        foreach (var given in StorePaths!)
        {
            // "-" is standard input (an export piped in); resolved, it would name a file "-" in the current folder.
            var paths = CompressedFile.IsStandardStream(given) ? [given] : ResolveReadPaths(given, StorePathsAreLiteral);
            foreach (var path in paths) Check(path);
        }
    }

    private void Check(string path)
    {
        if (!CompressedFile.IsStandardStream(path) && !File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            // One missing path among many piped in should not stop the others.
            WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find '{path}': give a store file, an NDJSON export or a backup folder.", path),
                ErrorIdPrefix + "StoreNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }
        WriteVerbose($"Checking {path} as {EventStoreVerifier.KindOf(path)}{(Quick ? " (quick)" : "")}.");
        Run(() => WriteObject(EventStoreVerifier.Check(path, Quick, Complete, Cancellation)), path);
    }
}
