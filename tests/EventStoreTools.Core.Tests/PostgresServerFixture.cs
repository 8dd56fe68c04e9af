using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// A throwaway PostgreSQL server (Debian's postgresql package) in a temporary folder on a free 127.0.0.1
/// port, for the tests of one class. If it cannot start, those tests fail: nothing is mocked or skipped.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private int _schemaNumber;

    public PostgresServerFixture()
    {
        _bin = FindServerBinaries();
        _directory = Path.Combine(Path.GetTempPath(), "est-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        if (RunsAsRoot) Run("chown", ["postgres", _directory], asServerUser: false);
        var port = FreePort();
        var data = Path.Combine(_directory, "data");
        Run(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // fsync off: a test server's data is thrown away; the socket lives in the folder, not in /var/run.
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {_directory} -c fsync=off -c synchronous_commit=off";
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public string ConnectionString { get; }

    /// <summary>A schema name no other test of the class uses.</summary>
    public string NewSchema() => $"t{Interlocked.Increment(ref _schemaNumber)}";

    private static bool RunsAsRoot => Environment.UserName == "root";

    private static string FindServerBinaries()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    // initdb refuses to run as root (CI runs as root): then the server runs as the package's postgres user.
    private static void Run(string program, string[] arguments, bool asServerUser = true)
    {
        var start = asServerUser && RunsAsRoot
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed (exit code {process.ExitCode}): {output.Result}{error}");
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        Run(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "stop"]);
        Directory.Delete(_directory, recursive: true);
    }
}
