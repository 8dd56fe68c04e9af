# Dot-sourced by TestHelpers.ps1, PostgresServer.ps1 and the benchmark, after Import-Module EventStoreTools.

# A type of a library the module ships (Microsoft.Data.Sqlite, Npgsql), as the module itself loads it: in the module's
# own load context, which type literals such as [Npgsql.NpgsqlConnection] do not reach.
function Get-ModuleLibraryType([string] $Assembly, [string] $Type) {
    $context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'EventStoreTools'
    if (-not $context) { throw 'The EventStoreTools module''s load context does not exist: import the module first.' }
    $context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new($Assembly)).GetType($Type, $true)
}
