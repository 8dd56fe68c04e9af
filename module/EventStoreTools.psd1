@{
    RootModule           = 'EventStoreTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c1e-8f2d-4c5e-9a57-2f1d6b7e4a91'
    Author               = 'EventStoreTools contributors'
    CompanyName          = 'EventStoreTools'
    Copyright            = '(c) EventStoreTools contributors. MIT License.'
    Description          = 'Export, import and incrementally import reSolve event stores (eventstore-lite SQLite files) from PowerShell, byte-compatible with reSolve.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('EventStoreTools.format.ps1xml')
    CmdletsToExport      = @(
        'Compare-EventStore'
        'Export-EventStore'
        'Get-EventStore'
        'Import-EventStore'
        'Start-IncrementalImport'
        'Add-IncrementalImport'
        'Complete-IncrementalImport'
        'Undo-IncrementalImport'
        'Test-EventStore'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('reSolve', 'EventSourcing', 'EventStore', 'SQLite', 'NDJSON', 'Export', 'Import', 'Backup', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://example.invalid/EventStoreTools/LICENSE'
            ProjectUri   = 'https://example.invalid/EventStoreTools'
            ReleaseNotes = 'See README.md.'
        }
    }
}
