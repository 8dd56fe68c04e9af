using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// The module's own load context over the dependencies/ folder beside the cmdlet assembly: an assembly found there
/// loads here, anything else (the framework, System.Management.Automation) from the default context; native
/// libraries come from dependencies/runtimes/&lt;rid&gt;/native with the .NET host's RID fallback (musl included).
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    public static readonly ModuleLoadContext Instance = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)!, "dependencies"));

    private readonly string _directory;

    private ModuleLoadContext(string directory) : base("EventStoreTools") => _directory = directory;

    public bool Owns(AssemblyName name) => name.Name is { } simple && File.Exists(PathOf(simple));

    protected override Assembly? Load(AssemblyName name) =>
        Owns(name) ? LoadFromAssemblyPath(PathOf(name.Name!)) : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = FindNativeLibrary(Path.Combine(_directory, "runtimes"), unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? FindNativeLibrary(string runtimesDirectory, string name) =>
        Core.Native.NativeRuntime.FindLibrary(runtimesDirectory, name);

    private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");
}
