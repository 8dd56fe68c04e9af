using System.Runtime.InteropServices;

namespace EventStoreTools.Core.Native;

/// <summary>The C library a Linux process runs on: Alpine and other small images use musl, most distributions glibc.</summary>
public enum LinuxLibc
{
    Glibc,
    Musl,
}

/// <summary>
/// Chooses the native library of a NuGet package's runtimes/&lt;rid&gt;/native layout for a platform, with the RID
/// fallback the .NET host uses without a RID graph: the exact RID first, then the RIDs it falls back to
/// (linux-musl-x64 falls back to linux-x64, as in the graph the host shipped). The platform is passed in, so the
/// choice is testable for platforms other than the one the tests run on.
/// </summary>
public static class NativeRuntime
{
    /// <summary>The runtime identifiers whose native folders are probed for a platform, most specific first.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers(OSPlatform os, Architecture architecture, LinuxLibc libc)
    {
        var arch = architecture switch
        {
            Architecture.X64 => "x64",
            Architecture.X86 => "x86",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            _ => architecture.ToString().ToLowerInvariant(),
        };
        if (os == OSPlatform.Windows) return [$"win-{arch}"];
        if (os == OSPlatform.OSX) return [$"osx-{arch}"];
        if (os == OSPlatform.Linux)
            return libc == LinuxLibc.Musl ? [$"linux-musl-{arch}", $"linux-{arch}"] : [$"linux-{arch}"];
        if (os == OSPlatform.FreeBSD) return [$"freebsd-{arch}"];
        return [];
    }

    /// <summary>The file name of a native library (e_sqlite3 -> libe_sqlite3.so on Linux).</summary>
    public static string LibraryFileName(OSPlatform os, string name) =>
        os == OSPlatform.Windows ? $"{name}.dll"
        : os == OSPlatform.OSX ? $"lib{name}.dylib"
        : $"lib{name}.so";

    /// <summary>
    /// The path of the native library <paramref name="name"/> under <paramref name="runtimesDirectory"/> for the
    /// platform, or null when no probed RID folder has it.
    /// </summary>
    public static string? FindLibrary(string runtimesDirectory, string name, OSPlatform os, Architecture architecture, LinuxLibc libc)
    {
        var file = LibraryFileName(os, name);
        foreach (var rid in RuntimeIdentifiers(os, architecture, libc))
        {
            var path = Path.Combine(runtimesDirectory, rid, "native", file);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>The path of the native library <paramref name="name"/> for the running process, or null.</summary>
    public static string? FindLibrary(string runtimesDirectory, string name) =>
        FindLibrary(runtimesDirectory, name, CurrentOperatingSystem(), RuntimeInformation.ProcessArchitecture, CurrentLibc());

    private static OSPlatform CurrentOperatingSystem() =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsFreeBSD() ? OSPlatform.FreeBSD
        : OSPlatform.Linux;

    /// <summary>
    /// musl when the process's dynamic loader is musl's (ld-musl-&lt;arch&gt;.so.1 is mapped); a self-contained pwsh
    /// built for glibc reports a glibc RID whatever it runs on, so the RID the runtime reports is only the fallback.
    /// </summary>
    public static LinuxLibc CurrentLibc()
    {
        if (!OperatingSystem.IsLinux()) return LinuxLibc.Glibc;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
                if (line.Contains("/ld-musl-", StringComparison.Ordinal) || line.Contains("/libc.musl-", StringComparison.Ordinal))
                    return LinuxLibc.Musl;
            return LinuxLibc.Glibc;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.RuntimeIdentifier.Contains("-musl", StringComparison.Ordinal) ? LinuxLibc.Musl : LinuxLibc.Glibc;
    }
}
