using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Runs when the module is imported. pwsh does not probe the NuGet layout runtimes/&lt;rid&gt;/native/ next to a
/// module's assemblies, so Microsoft.Data.Sqlite's native library is resolved here by hand.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport()
    {
        JsJson.ForeignValueConverter = PlainValue.FromForeign;
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNativeLibrary;
    }

    private static IntPtr ResolveNativeLibrary(Assembly requester, string name)
    {
        if (!name.Contains("e_sqlite3", StringComparison.Ordinal)) return IntPtr.Zero;
        var moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        var file = OperatingSystem.IsWindows() ? "e_sqlite3.dll"
            : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib"
            : "libe_sqlite3.so";
        var path = Path.Combine(moduleDirectory, "runtimes", RuntimeIdentifier(), "native", file);
        return NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }

    private static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => "x64",
        };
        return $"{os}-{arch}";
    }
}
