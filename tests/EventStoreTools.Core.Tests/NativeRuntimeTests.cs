using System.Runtime.InteropServices;
using EventStoreTools.Core.Native;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class NativeRuntimeTests
{
    [Theory]
    [InlineData(Architecture.X64, "linux-musl-x64")]
    [InlineData(Architecture.Arm64, "linux-musl-arm64")]
    public void Musl_probes_the_musl_build_first(Architecture architecture, string expected) =>
        Assert.Equal(expected, NativeRuntime.RuntimeIdentifiers(OSPlatform.Linux, architecture, LinuxLibc.Musl)[0]);

    [Theory]
    [InlineData(Architecture.X64, "linux-x64")]
    [InlineData(Architecture.Arm64, "linux-arm64")]
    [InlineData(Architecture.Arm, "linux-arm")]
    public void Glibc_never_probes_a_musl_build(Architecture architecture, string expected) =>
        Assert.Equal([expected], NativeRuntime.RuntimeIdentifiers(OSPlatform.Linux, architecture, LinuxLibc.Glibc));

    [Fact]
    public void Chooses_the_musl_library_on_musl_and_the_glibc_one_on_glibc()
    {
        var runtimes = NewRuntimesFolder("linux-x64", "linux-musl-x64");
        Assert.Equal(Path.Combine(runtimes, "linux-musl-x64", "native", "libe_sqlite3.so"),
            NativeRuntime.FindLibrary(runtimes, "e_sqlite3", OSPlatform.Linux, Architecture.X64, LinuxLibc.Musl));
        Assert.Equal(Path.Combine(runtimes, "linux-x64", "native", "libe_sqlite3.so"),
            NativeRuntime.FindLibrary(runtimes, "e_sqlite3", OSPlatform.Linux, Architecture.X64, LinuxLibc.Glibc));
    }

    [Fact]
    public void Musl_falls_back_to_the_linux_build_as_the_dotnet_host_does()
    {
        var runtimes = NewRuntimesFolder("linux-arm64");
        Assert.Equal(Path.Combine(runtimes, "linux-arm64", "native", "libe_sqlite3.so"),
            NativeRuntime.FindLibrary(runtimes, "e_sqlite3", OSPlatform.Linux, Architecture.Arm64, LinuxLibc.Musl));
    }

    [Fact]
    public void Glibc_does_not_take_a_musl_build_when_its_own_is_missing()
    {
        var runtimes = NewRuntimesFolder("linux-musl-x64");
        Assert.Null(NativeRuntime.FindLibrary(runtimes, "e_sqlite3", OSPlatform.Linux, Architecture.X64, LinuxLibc.Glibc));
    }

    [Theory]
    [InlineData("Windows", Architecture.Arm64, "win-arm64", "e_sqlite3.dll")]
    [InlineData("Windows", Architecture.X86, "win-x86", "e_sqlite3.dll")]
    [InlineData("OSX", Architecture.Arm64, "osx-arm64", "libe_sqlite3.dylib")]
    public void Names_the_folder_and_file_of_other_platforms(string os, Architecture architecture, string rid, string file)
    {
        var platform = OSPlatform.Create(os.ToUpperInvariant());
        var runtimes = NewRuntimesFolder(rid);
        File.WriteAllText(Path.Combine(runtimes, rid, "native", file), "");
        Assert.Equal(Path.Combine(runtimes, rid, "native", file), NativeRuntime.FindLibrary(runtimes, "e_sqlite3", platform, architecture, LinuxLibc.Glibc));
    }

    [Fact]
    public void Detects_the_libc_this_process_runs_on()
    {
        if (!OperatingSystem.IsLinux()) return;
        // glibc's C library is libc.so.6; musl has none of that name (its loader is the C library).
        var glibc = File.ReadAllText("/proc/self/maps").Contains("/libc.so.6", StringComparison.Ordinal);
        Assert.Equal(glibc ? LinuxLibc.Glibc : LinuxLibc.Musl, NativeRuntime.CurrentLibc());
    }

    // A runtimes/<rid>/native/libe_sqlite3.so for each RID.
    private static string NewRuntimesFolder(params string[] rids)
    {
        var runtimes = Path.Combine(TestFiles.NewDirectory(), "runtimes");
        foreach (var rid in rids)
        {
            Directory.CreateDirectory(Path.Combine(runtimes, rid, "native"));
            File.WriteAllText(Path.Combine(runtimes, rid, "native", "libe_sqlite3.so"), "");
        }
        return runtimes;
    }
}
