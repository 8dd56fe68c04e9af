<#
.SYNOPSIS
The one entry point: builds the EventStoreTools module into out/EventStoreTools and runs its tasks.

.DESCRIPTION
  Demo    (default) Build, then copy a generated sample store with Export-EventStore | Import-EventStore.
  Build   Build the module into out/EventStoreTools.
  Test    Build, run the xunit tests of the core, then the Pester tests against the built module in a
          child pwsh; ends with one line "N passed, N failed, N skipped".
  Bench   Build, then run bench/Invoke-Benchmark.ps1.
  Package Build, then pack out/EventStoreTools into out/package/EventStoreTools.<version>.nupkg, which
          Install-PSResource accepts from a folder repository.
#>
[CmdletBinding()]
param(
    [ValidateSet('Demo', 'Build', 'Test', 'Bench', 'Package')]
    [string] $Task = 'Demo',
    [string] $Configuration = 'Release',
    # Pester tags to leave out of the Test task.
    [string[]] $ExcludeTag = @()
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'EventStoreTools'
$NativeRids = 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64', 'win-x64'
$PesterVersion = '5.7.1'

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "Command failed with exit code ${LASTEXITCODE}: $Command" }
}

function Invoke-Build {
    $publish = Join-Path $Out 'publish'
    Remove-Item $publish -Recurse -Force -ErrorAction Ignore
    Invoke-Native { dotnet publish (Join-Path $Root 'src/EventStoreTools.Cmdlets') -c $Configuration -o $publish --nologo -v quiet }

    Remove-Item $ModuleDir -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    # The module's files, listed: nothing else (System.Text.Json, pdbs, other platforms) is shipped.
    $assemblies = 'EventStoreTools.dll', 'EventStoreTools.Core.dll', 'Microsoft.Data.Sqlite.dll', 'Npgsql.dll', 'Microsoft.Extensions.Logging.Abstractions.dll',
        'SQLitePCLRaw.core.dll', 'SQLitePCLRaw.provider.e_sqlite3.dll', 'SQLitePCLRaw.batteries_v2.dll', 'ZstdSharp.dll'
    foreach ($file in $assemblies) { Copy-Item (Join-Path $publish $file) $ModuleDir }
    foreach ($rid in $NativeRids) {
        $native = Join-Path $ModuleDir "runtimes/$rid/native"
        New-Item -ItemType Directory -Path $native -Force | Out-Null
        Copy-Item (Join-Path $publish "runtimes/$rid/native/*") $native
    }
    Copy-Item (Join-Path $Root 'module/EventStoreTools.psd1'), (Join-Path $Root 'module/EventStoreTools.format.ps1xml') $ModuleDir
    # Help is generated in a child pwsh: loading the module here would lock nothing on Linux but would on Windows.
    Invoke-Native { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'module/help/New-MamlHelp.ps1') -ModulePath (Join-Path $ModuleDir 'EventStoreTools.psd1') -OutFile (Join-Path $ModuleDir 'en-US/EventStoreTools.dll-Help.xml') }
    Write-Host "Built $ModuleDir"
}

function Install-Pester {
    $pester = Join-Path $Root "tools/packages/pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) {
        # The PowerShell Gallery is out of reach; Pester comes from NuGet through a download-only project.
        Invoke-Native { dotnet restore (Join-Path $Root 'tools/tools.csproj') --packages (Join-Path $Root 'tools/packages') --nologo -v quiet }
    }
    $pester
}

function New-SampleStore([string] $Path, [int] $Count) {
    $types = 'ACCOUNT_OPENED', 'DEPOSIT_MADE', 'WITHDRAWAL_MADE', 'ACCOUNT_RENAMED'
    $aggregates = 1..40 | ForEach-Object { [guid]::NewGuid().ToString() }
    $versions = @{}
    $start = [DateTimeOffset]::new(2024, 1, 1, 0, 0, 0, [TimeSpan]::Zero).ToUnixTimeMilliseconds()
    $counters = [long[]]::new(256)
    $random = [Random]::new(42)
    $events = for ($i = 0; $i -lt $Count; $i++) {
        $aggregate = $aggregates[$random.Next($aggregates.Count)]
        $versions[$aggregate] = 1 + ($versions[$aggregate] ?? 0)
        $thread = $random.Next(256)
        @{
            threadId = $thread; threadCounter = $counters[$thread]++; timestamp = $start + $i * 1000
            aggregateId = $aggregate; aggregateVersion = $versions[$aggregate]
            type = if ($versions[$aggregate] -eq 1) { $types[0] } else { $types[1 + $random.Next(3)] }
            payload = [ordered]@{ amount = $random.Next(1, 1000); currency = 'EUR'; note = "Überweisung №$i ✓"; tags = @('demo', ($i % 7)) }
        }
    }
    $events | Import-EventStore $Path -Replace -Force | Out-Null
}

function Invoke-Demo {
    $sample = Join-Path $Out 'sample'
    New-Item -ItemType Directory -Path $sample -Force | Out-Null
    $source = Join-Path $sample 'source.db'
    $copy = Join-Path $sample 'copy.db'
    Remove-Item $copy -ErrorAction Ignore
    Import-Module (Join-Path $ModuleDir 'EventStoreTools.psd1') -Force
    New-SampleStore -Path $source -Count 5000
    Write-Host "`nExport-EventStore $source | Import-EventStore $copy" -ForegroundColor Cyan
    Export-EventStore $source | Import-EventStore $copy | Format-List | Out-Host
    Write-Host 'Export-EventStore copy.db | Select-Object -First 5' -ForegroundColor Cyan
    Export-EventStore $copy | Select-Object -First 5 | Format-Table | Out-Host
    Export-EventStore $source -OutFile (Join-Path $sample 'source.ndjson')
    Export-EventStore $copy -OutFile (Join-Path $sample 'copy.ndjson')
    $same = (Get-FileHash (Join-Path $sample 'source.ndjson')).Hash -eq (Get-FileHash (Join-Path $sample 'copy.ndjson')).Hash
    Write-Host "NDJSON exports of source and copy are byte-identical: $same"
    if (-not $same) { throw 'The copy differs from the source.' }
}

function Get-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error; Skipped = [int]$counters.notExecuted }
}

function Invoke-Test {
    $results = Join-Path $Out 'test-results'
    Remove-Item $results -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $results | Out-Null

    Write-Host 'xunit: tests/EventStoreTools.Core.Tests' -ForegroundColor Cyan
    dotnet test (Join-Path $Root 'tests/EventStoreTools.Core.Tests') -c $Configuration --nologo --logger 'trx;LogFileName=core.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunit = if (Test-Path (Join-Path $results 'core.trx')) { Get-TrxCounts (Join-Path $results 'core.trx') }
             else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    Write-Host 'Pester: tests/pester (child pwsh, built module)' -ForegroundColor Cyan
    $pester = Install-Pester
    $summary = Join-Path $results 'pester.json'
    $runner = @'
param($Pester, $Tests, $Summary, $ExcludeTag)
$ProgressPreference = 'SilentlyContinue'
Import-Module $Pester -Force
$config = New-PesterConfiguration
$config.Run.Path = $Tests
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag -split ',' }
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content $Summary
'@
    $runnerFile = Join-Path $results 'run-pester.ps1'
    Set-Content $runnerFile $runner
    $env:EVENTSTORETOOLS_MODULE = Join-Path $ModuleDir 'EventStoreTools.psd1'
    dotnet pwsh -NoProfile -NonInteractive -File $runnerFile -Pester $pester -Tests (Join-Path $Root 'tests/pester') -Summary $summary -ExcludeTag ($ExcludeTag -join ',')
    $pesterCounts = if (Test-Path $summary) { Get-Content $summary -Raw | ConvertFrom-Json }
                    else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Demo' { Invoke-Build; Invoke-Demo }
    'Test' { Invoke-Build; Invoke-Test }
    'Package' {
        Invoke-Build
        $package = & (Join-Path $Root 'module/New-ModulePackage.ps1') -ModuleDirectory $ModuleDir -OutputDirectory (Join-Path $Out 'package')
        Write-Host "Packed $($package.FullName)"
    }
    'Bench' { Invoke-Build; & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath (Join-Path $ModuleDir 'EventStoreTools.psd1') }
}
