<#
.SYNOPSIS
Our side of the compatibility suite: runs the tasks compat.js lists (exports, imports, incremental imports through
the built module) in one pwsh, and writes each task's outcome. compat.js compares the results with reSolve's.
#>
param(
    [Parameter(Mandatory)] [string] $TaskFile,
    [Parameter(Mandatory)] [string] $ResultFile,
    [Parameter(Mandatory)] [string] $ModulePath
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force

$manifest = Get-Content $TaskFile -Raw | ConvertFrom-Json
$connectionString = $manifest.connectionString

# The store parameters of a task's store: a SQLite file or a PostgreSQL schema.
function Get-StoreParameters($Store) {
    if ($Store.engine -eq 'sqlite') { @{ Path = $Store.file } }
    else { @{ ConnectionString = $connectionString; Schema = $Store.schema } }
}

function Invoke-Task($Task) {
    $store = Get-StoreParameters $Task.store
    switch ($Task.op) {
        'export' { Export-EventStore @store -OutFile $Task.outFile }
        'importFile' { Import-EventStore @store -InFile $Task.inFile | Out-Null }
        # The lossless way to hand NDJSON to the pipeline as objects (plain ConvertFrom-Json turns date strings into DateTime).
        'importObjects' { Get-Content $Task.inFile -Encoding utf8 | ConvertFrom-Json -AsHashtable -DateKind String | Import-EventStore @store | Out-Null }
        'importCopy' {
            $source = Get-StoreParameters $Task.source
            Export-EventStore @source | Import-EventStore @store | Out-Null
        }
        'incremental' { Import-EventStore @store -InFile $Task.inFile -Incremental -WarningAction SilentlyContinue | Out-Null }
        default { throw "Unknown task $($Task.op)" }
    }
}

# A task's warnings go into its result, for compat.js to judge, instead of onto the console of the test run.
$results = foreach ($task in $manifest.tasks) {
    try {
        $warnings = @(Invoke-Task $task 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        if ($warnings) { @{ id = $task.id; ok = $true; warnings = $warnings } } else { @{ id = $task.id; ok = $true } }
    }
    catch {
        @{ id = $task.id; ok = $false; error = "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
    }
}
ConvertTo-Json -InputObject @($results) -Depth 3 | Set-Content $ResultFile -Encoding utf8
