using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Runs when the module is imported. Only this assembly lives in pwsh's default load context; the core and its
/// dependencies (Npgsql, Microsoft.Data.Sqlite, SQLitePCLRaw, Microsoft.Extensions.*) sit in dependencies/ and load
/// into the module's own <see cref="ModuleLoadContext"/>, so another module's Npgsql or SQLite of another version,
/// loaded before or after, does not clash with ours (the pattern Microsoft documents for module dependency conflicts).
/// pwsh loads the public types of this assembly before <see cref="OnImport"/> runs, so none of them may hold a field
/// of a core value type (an enum included): loading it would need the core before the resolver is there.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int _registered;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleContext;
        ConfigureCore();
        CoreTypeNames.Register();
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => CoreTypeNames.Unregister();

    // Kept out of OnImport: compiling a method that names a core type loads the core, which the resolver must
    // already be there to answer.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ConfigureCore() => JsJson.ForeignValueConverter = PlainValue.FromForeign;

    /// <summary>
    /// Answers only this assembly's own requests for an assembly of dependencies/ (in practice the core: its own
    /// references are resolved by the module context itself); every other request is left to whoever else answers.
    /// </summary>
    private static Assembly? ResolveFromModuleContext(object? sender, ResolveEventArgs args)
    {
        if (args.RequestingAssembly != typeof(ModuleInitializer).Assembly) return null;
        var name = new AssemblyName(args.Name);
        return ModuleLoadContext.Instance.Owns(name) ? ModuleLoadContext.Instance.LoadFromAssemblyName(name) : null;
    }
}

/// <summary>
/// pwsh resolves type literals only among the default context's assemblies, so [EventStoreTools.Core.ResolveEvent]
/// would no longer resolve once the core lives in the module's context. Each public core type is registered under
/// its full name as a type accelerator (pwsh's own table, reached by reflection: it has no public API) while the
/// module is imported. The libraries in dependencies/ stay private to the module.
/// </summary>
internal static class CoreTypeNames
{
    private static readonly Type? Accelerators =
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    public static void Register()
    {
        var add = Accelerators?.GetMethod("Add", [typeof(string), typeof(Type)]);
        if (add is null) return;
        foreach (var type in CoreTypes()) add.Invoke(null, [type.FullName, type]);
    }

    public static void Unregister()
    {
        var remove = Accelerators?.GetMethod("Remove", [typeof(string)]);
        if (remove is null) return;
        foreach (var type in CoreTypes()) remove.Invoke(null, [type.FullName]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IEnumerable<Type> CoreTypes() =>
        typeof(Core.ResolveEvent).Assembly.GetExportedTypes().Where(type => type.FullName is not null && !type.IsNested);
}
