# Dot-sourced by every *.Tests.ps1 in BeforeAll: loads the built module and offers fixture helpers.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:EVENTSTORETOOLS_MODULE) { $env:EVENTSTORETOOLS_MODULE } else { Join-Path $RepoRoot 'out/EventStoreTools/EventStoreTools.psd1' }
$script:Fixtures = Join-Path $RepoRoot '../shared/fixtures'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModuleManifest -Force

# CI lays the fixtures out read-only: tests work on copies in $TestDrive.
function Copy-Fixture([string] $Name, [string] $As = (Split-Path $Name -Leaf)) {
    $target = Join-Path $TestDrive $As
    Copy-Item (Join-Path $Fixtures $Name) $target -Force
    Set-ItemProperty $target -Name IsReadOnly -Value $false
    $target
}

function New-TestPath([string] $Name) {
    $path = Join-Path $TestDrive $Name
    Remove-Item $path -Force -ErrorAction Ignore
    $path
}

# Every column of every event, ordered by thread, as one string per row (payload storage type included).
function Get-StoreRows([string] $Path) {
    $query = 'SELECT threadId, threadCounter, timestamp, aggregateId, aggregateVersion, type, payload, typeof(payload) FROM events ORDER BY 1, 2'
    Invoke-SqliteQuery -Path $Path -Query $query | ForEach-Object { $_ -join '|' }
}

function Invoke-SqliteQuery([string] $Path, [string] $Query) {
    Invoke-DbQuery ([Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$Path;Pooling=False")) $Query
}

# Rows of a query as object arrays; the connection is opened here and disposed at the end.
function Invoke-DbQuery([System.Data.Common.DbConnection] $Connection, [string] $Query) {
    try {
        $Connection.Open()
        $command = $Connection.CreateCommand()
        $command.CommandText = $Query
        $reader = $command.ExecuteReader()
        while ($reader.Read()) {
            $row = [object[]]::new($reader.FieldCount)
            [void]$reader.GetValues($row)
            , $row
        }
        $reader.Dispose()
    }
    finally { $Connection.Dispose() }
}

function New-TestEvent([int] $Thread = 0, [long] $Counter = 0, [long] $Timestamp = 1000, [string] $Aggregate = 'a', [long] $Version = 1, [string] $Type = 'T', $Payload = $null) {
    @{ threadId = $Thread; threadCounter = $Counter; timestamp = $Timestamp; aggregateId = $Aggregate; aggregateVersion = $Version; type = $Type; payload = $Payload }
}

# The command line that starts this same pwsh again (under `dotnet pwsh` that is dotnet plus pwsh.dll).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -like 'dotnet*') { , @($exe, [Environment]::GetCommandLineArgs()[0]) }
    else { , @($exe) }
}

# Runs a script in a fresh pwsh -NoProfile with the built module imported; returns its output lines.
function Invoke-FreshPwsh([string] $Script) {
    $command = Get-PwshCommand
    $exe = $command[0]
    $rest = @($command | Select-Object -Skip 1)
    & $exe @rest -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; Import-Module '$ModuleManifest'; $Script" 2>&1
}

# The progress records a script writes, collected in-process (a console host does not render progress
# when its output is redirected, so this is the only place to see it).
function Get-ProgressRecord([string] $Script, [string] $Preference = 'Continue') {
    $shell = [powershell]::Create()
    try {
        [void]$shell.AddScript("Import-Module '$ModuleManifest'; `$ProgressPreference = '$Preference'; $Script")
        [void]$shell.Invoke()
        if ($shell.HadErrors) { throw "The script failed: $($shell.Streams.Error | Select-Object -First 1)" }
        @($shell.Streams.Progress)
    }
    finally { $shell.Dispose() }
}

# reSolve's cursor text for 256 thread counters (6 bytes big-endian each, base64), built independently of the module.
function ConvertTo-ResolveCursor([long[]] $Counters) {
    $bytes = [byte[]]::new(1536)
    for ($thread = 0; $thread -lt 256; $thread++) {
        $value = $Counters[$thread]
        for ($b = 5; $b -ge 0; $b--) { $bytes[$thread * 6 + $b] = [byte]($value -band 0xFF); $value = $value -shr 8 }
    }
    [Convert]::ToBase64String($bytes)
}

# The starting store of the incremental-import fixtures: reSolve's export of 1000 events, imported keeping ids.
function New-IncrementalBaseStore([string] $Name = 'base.db') {
    $path = New-TestPath $Name
    Import-EventStore $path -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
    $path
}

# A store as the incremental fixtures' expected dumps show it: read order, every field, keys sorted at every
# level; one string (lines joined), which Pester compares much faster than 1000-element arrays.
function Get-StoreDump([string] $Path) { ConvertTo-StoreDump (Export-EventStore $Path) }

function ConvertTo-StoreDump([object[]] $Events) {
    $lines = foreach ($e in $Events) {
        $json = '{{"aggregateId":{0},"aggregateVersion":{1},"payload":{2},"threadCounter":{3},"threadId":{4},"timestamp":{5},"type":{6}}}' -f @(
            [EventStoreTools.Core.Json.JsJson]::QuoteString($e.AggregateId), $e.AggregateVersion, $e.PayloadJson,
            $e.ThreadCounter, $e.ThreadId, $e.Timestamp, [EventStoreTools.Core.Json.JsJson]::QuoteString($e.Type))
        [EventStoreTools.Core.Json.JsonValueEquality]::SortedKeys($json)
    }
    $lines -join "`n"
}

function Get-IncrementalInput([string] $Case) { Join-Path $Fixtures "incremental/$Case.input.ndjson" }

function Get-IncrementalExpected([string] $Case) { (Get-Content (Join-Path $Fixtures "incremental/$Case.expected.dump.ndjson")) -join "`n" }

function Get-PendingCount([string] $Path) {
    (Invoke-SqliteQuery -Path $Path -Query 'SELECT count(*) FROM "events-incremental-import"')[0]
}
