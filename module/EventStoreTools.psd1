@{
    RootModule           = 'EventStoreTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c1e-8f2d-4c5e-9a57-2f1d6b7e4a91'
    Author               = 'EventStoreTools contributors'
    CompanyName          = 'EventStoreTools'
    Copyright            = '(c) EventStoreTools contributors. MIT License.'
    Description          = 'Export, import and incrementally import reSolve event stores, SQLite files (eventstore-lite) and PostgreSQL schemas (eventstore-postgresql), from PowerShell, byte-compatible with reSolve. Needs PowerShell 7.6 or later (.NET 10).'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    TypesToProcess       = @('EventStoreTools.types.ps1xml')
    FormatsToProcess     = @('EventStoreTools.format.ps1xml')
    CmdletsToExport      = @(
        'Compare-EventStore'
        'Export-EventStore'
        'Get-EventStore'
        'Import-EventStore'
        'Set-EventStore'
        'Sync-EventStore'
        'Start-IncrementalImport'
        'Add-IncrementalImport'
        'Complete-IncrementalImport'
        'Undo-IncrementalImport'
        'Test-EventStore'
        'New-EventStore'
        'Send-EventStoreEvent'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('reSolve', 'EventSourcing', 'EventStore', 'SQLite', 'PostgreSQL', 'NDJSON', 'Export', 'Import', 'Backup', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            # No LicenseUri or ProjectUri until the project has a public address: the LICENSE file ships in the package.
            ReleaseNotes = @'
0.1.0
- Export-EventStore, Import-EventStore, Get-EventStore, Compare-EventStore and the incremental import
  (Start-, Add-, Complete-, Undo-IncrementalImport) on SQLite files and PostgreSQL schemas, compatible with reSolve.
- Requires PowerShell 7.6 or later (the assemblies target .NET 10); Windows PowerShell 5.1 is not supported.
- Npgsql, Microsoft.Data.Sqlite and SQLitePCLRaw load into the module's own assembly load context, so other
  modules' versions of them no longer clash; native SQLite for Windows (x64, x86, arm64), Linux (glibc and musl:
  x64, arm64; glibc arm) and macOS (x64, arm64).
- Help generated from the cmdlets' metadata; about_EventStoreTools; LICENSE (MIT) in the package; the package lists
  its commands for Find-PSResource -CommandName.
'@
        }
    }
}
