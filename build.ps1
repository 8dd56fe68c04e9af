<#
.SYNOPSIS
The one entry point: builds the EventStoreTools module into out/EventStoreTools and runs its tasks.

.DESCRIPTION
  Demo    (default) Build, then copy a generated sample store with Export-EventStore | Import-EventStore.
  Build   Build the module into out/EventStoreTools.
  Test    Build, install tests/compat's npm packages (reSolve's adapters and PostgreSQL's server binaries,
          npm ci), run the xunit tests of the core, then the Pester tests against the built module in a
          child pwsh, then the PostgreSQL Pester tests again against the machine's own PostgreSQL when its
          major version differs; ends with one line "N passed, N failed, N skipped".
  Compat  Build, then run only the compatibility suite against reSolve's adapters, -Cases cases from -Seed.
  Bench   Build, then run bench/Invoke-Benchmark.ps1 (-Scale: its 1M, 3M and 10M rows; not in CI).
  Package Build, then pack out/EventStoreTools into out/package/EventStoreTools.<version>.nupkg, which
          Install-PSResource accepts from a folder repository.
#>
[CmdletBinding()]
param(
    [ValidateSet('Demo', 'Build', 'Test', 'Compat', 'Bench', 'Package')]
    [string] $Task = 'Demo',
    [string] $Configuration = 'Release',
    # Pester tags to leave out of the Test task.
    [string[]] $ExcludeTag = @(),
    # Compatibility suite (tests/compat): how many generated cases, from which seed (the Test task runs 200 from seed 1).
    [int] $Cases = 200,
    [int] $Seed = 1,
    # Bench: the 1M, 3M and 10M rows (bench/Invoke-Benchmark.ps1 -Scale) instead of the usual ones.
    [switch] $Scale
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'EventStoreTools'
# Every RID SQLitePCLRaw ships a native SQLite for among the platforms pwsh runs on (musl for Alpine images).
$NativeRids = 'win-x64', 'win-x86', 'win-arm64', 'linux-x64', 'linux-arm', 'linux-arm64', 'linux-musl-x64', 'linux-musl-arm64', 'osx-x64', 'osx-arm64'
$PesterVersion = '5.7.1'
# The platform whose machine code the module's ReadyToRun images carry (see Publish-ReadyToRun).
$ReadyToRunRid = 'linux-x64'

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "Command failed with exit code ${LASTEXITCODE}: $Command" }
}

function Invoke-Build {
    $publish = Join-Path $Out 'publish'
    Remove-Item $publish -Recurse -Force -ErrorAction Ignore
    Invoke-Native { dotnet publish (Join-Path $Root 'src/EventStoreTools.Cmdlets') -c $Configuration -o $publish --nologo -v quiet }
    $readyToRun = Publish-ReadyToRun

    Remove-Item $ModuleDir -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    # Only the cmdlet assembly sits beside the manifest (pwsh's default load context); the core and every library it
    # brings (Npgsql, Microsoft.Data.Sqlite, SQLitePCLRaw, Microsoft.Extensions.*) go to dependencies/, which the
    # module loads into its own context. Nothing else (pdbs, deps.json, other platforms' natives) is shipped.
    $dependencies = Join-Path $ModuleDir 'dependencies'
    New-Item -ItemType Directory -Path $dependencies | Out-Null
    Copy-Item (Join-Path $readyToRun 'EventStoreTools.dll') $ModuleDir
    Get-ChildItem $readyToRun -Filter *.dll | Where-Object { $_.Name -ne 'EventStoreTools.dll' -and $_.Name -notlike 'System.Management.Automation*' } |
        Copy-Item -Destination $dependencies
    foreach ($rid in $NativeRids) {
        $native = Join-Path $dependencies "runtimes/$rid/native"
        New-Item -ItemType Directory -Path $native -Force | Out-Null
        Copy-Item (Join-Path $publish "runtimes/$rid/native/*") $native
    }
    Copy-Item (Join-Path $Root 'module/EventStoreTools.psd1'), (Join-Path $Root 'module/EventStoreTools.format.ps1xml'), (Join-Path $Root 'module/EventStoreTools.types.ps1xml'), (Join-Path $Root 'LICENSE') $ModuleDir
    New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'en-US') | Out-Null
    Copy-Item (Join-Path $Root 'module/en-US/about_EventStoreTools.help.txt') (Join-Path $ModuleDir 'en-US')
    # The task pages a user looks up in PowerShell become about_EventStoreTools_* topics; the README and the docs
    # travel too, so the package carries the same text the repository shows (the README's links reach docs/).
    & (Join-Path $Root 'module/help/New-AboutHelp.ps1') -DocsDirectory (Join-Path $Root 'docs') -OutDirectory (Join-Path $ModuleDir 'en-US')
    Copy-Item (Join-Path $Root 'README.md') $ModuleDir
    New-Item -ItemType Directory -Path (Join-Path $ModuleDir 'docs') | Out-Null
    # The pages and the charts they show.
    Copy-Item (Join-Path $Root 'docs/*.md'), (Join-Path $Root 'docs/*.svg') (Join-Path $ModuleDir 'docs')
    # Help is generated in a child pwsh: loading the module here would lock nothing on Linux but would on Windows.
    Invoke-Native { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'module/help/New-MamlHelp.ps1') -ModulePath (Join-Path $ModuleDir 'EventStoreTools.psd1') -OutFile (Join-Path $ModuleDir 'en-US/EventStoreTools.dll-Help.xml') }
    Write-Host "Built $ModuleDir"
}

# The module's assemblies and every library in dependencies/ as ReadyToRun images for $ReadyToRunRid: their code is
# compiled ahead, so the first command in a fresh pwsh does not wait for the JIT (issue 15: the first 50k-event copy
# took twice the second). An image still holds its IL, so on any other platform it runs as before, JIT-compiled.
# The portable publish above stays the source of the natives of every RID (a RID-specific publish keeps only its own).
# crossgen2 needs an implementation of every assembly the code touches, and PowerShell Standard is a reference
# assembly the publish leaves out: without one, crossgen2 compiles none of the methods that touch a PowerShell type
# (most of the cmdlet assembly, measured: 94 cmdlet methods still quick-JITted on the first copy). So it is given the
# System.Management.Automation of the pwsh running this build; should another pwsh's PSCmdlet differ in layout, the
# runtime's fixup checks reject that precompiled code and JIT it, as without ReadyToRun.
function Publish-ReadyToRun {
    $readyToRun = Join-Path $Out 'publish-r2r'
    Remove-Item $readyToRun -Recurse -Force -ErrorAction Ignore
    $automation = Join-Path $PSHOME 'System.Management.Automation.dll'
    Invoke-Native { dotnet publish (Join-Path $Root 'src/EventStoreTools.Cmdlets') -c $Configuration -r $ReadyToRunRid --self-contained false `
            -p:PublishReadyToRun=true "-p:PublishReadyToRunCrossgen2ExtraArgs=-r:$automation" -o $readyToRun --nologo -v quiet }
    $readyToRun
}

function Install-Pester {
    $pester = Join-Path $Root "tools/packages/pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) {
        # The PowerShell Gallery is out of reach; Pester comes from NuGet through a download-only project.
        Invoke-Native { dotnet restore (Join-Path $Root 'tools/tools.csproj') --packages (Join-Path $Root 'tools/packages') --nologo -v quiet }
    }
    $pester
}

# reSolve's adapters for the compatibility suite and PostgreSQL's server binaries for the PostgreSQL tests, as
# pinned in tests/compat/package-lock.json. npm ci starts from scratch (it builds better-sqlite3), so it runs only
# when the lock file changed since the last install.
function Install-CompatPackages {
    $compat = Join-Path $Root 'tests/compat'
    $stamp = Join-Path $compat 'node_modules/.installed-lock-hash'
    $hash = (Get-FileHash (Join-Path $compat 'package-lock.json')).Hash
    if ((Test-Path $stamp) -and (Get-Content $stamp -Raw).Trim() -eq $hash) { return }
    if (-not (Get-Command npm -ErrorAction Ignore)) { throw 'npm not found: the tests need Node.js 20 and npm (reSolve''s adapters and the PostgreSQL binaries come from npm)' }
    Write-Host 'npm ci: tests/compat (reSolve''s adapters, PostgreSQL server binaries)' -ForegroundColor Cyan
    Push-Location $compat
    try { Invoke-Native { npm ci --no-audit --no-fund } }
    finally { Pop-Location }
    Set-Content $stamp $hash
}

function Invoke-Demo {
    $sample = Join-Path $Out 'sample'
    New-Item -ItemType Directory -Path $sample -Force | Out-Null
    $source = Join-Path $sample 'source.db'
    $copy = Join-Path $sample 'copy.db'
    Remove-Item $source, $copy -ErrorAction Ignore
    Import-Module (Join-Path $ModuleDir 'EventStoreTools.psd1') -Force
    Write-Host "New-EventStore $source -SampleEventCount 5000" -ForegroundColor Cyan
    New-EventStore $source -SampleEventCount 5000 | Out-Null
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

# One Pester run in a child pwsh against the built module; returns its counts.
function Invoke-PesterRun([string] $Path, [string[]] $Tag = @(), [string[]] $Exclude = @(), [string] $Summary, [hashtable] $Environment = @{}) {
    $runner = @'
param($Pester, $Tests, $Summary, $Tag, $ExcludeTag)
$ProgressPreference = 'SilentlyContinue'
Import-Module $Pester -Force
$config = New-PesterConfiguration
$config.Run.Path = $Tests
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
if ($Tag) { $config.Filter.Tag = $Tag -split ',' }
if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag -split ',' }
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content $Summary
'@
    $runnerFile = Join-Path (Split-Path $Summary) 'run-pester.ps1'
    Set-Content $runnerFile $runner
    $saved = @{}
    $Environment['EVENTSTORETOOLS_MODULE'] = Join-Path $ModuleDir 'EventStoreTools.psd1'
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        dotnet pwsh -NoProfile -NonInteractive -File $runnerFile -Pester (Install-Pester) -Tests $Path -Summary $Summary -Tag ($Tag -join ',') -ExcludeTag ($Exclude -join ',') | Out-Host
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    if (Test-Path $Summary) { Get-Content $Summary -Raw | ConvertFrom-Json }
    else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
}

function New-TestResultsFolder {
    $results = Join-Path $Out 'test-results'
    Remove-Item $results -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $results | Out-Null
    $results
}

# The machine's own PostgreSQL when its major version differs from the one the tests start (npm's, or
# EVENTSTORETOOLS_PG_BIN): the PostgreSQL tests run against it too.
function Get-SecondPostgresBin {
    . (Join-Path $Root 'tests/pester/PostgresServer.ps1')
    $system = Get-SystemPostgresBin
    if (-not $system) { return $null }
    $primary = try { Get-PostgresBin } catch { return $null }
    if ((Get-PostgresVersion $system).Major -eq (Get-PostgresVersion $primary).Major) { return $null }
    [pscustomobject]@{ Bin = $system; Version = Get-PostgresVersion $system }
}

function Invoke-Test {
    $results = New-TestResultsFolder
    Install-CompatPackages

    Write-Host 'xunit: tests/EventStoreTools.Core.Tests' -ForegroundColor Cyan
    dotnet test (Join-Path $Root 'tests/EventStoreTools.Core.Tests') -c $Configuration --nologo --logger 'trx;LogFileName=core.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $xunit = if (Test-Path (Join-Path $results 'core.trx')) { Get-TrxCounts (Join-Path $results 'core.trx') }
             else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    Write-Host 'Pester: tests/pester (child pwsh, built module)' -ForegroundColor Cyan
    $pesterCounts = Invoke-PesterRun -Path (Join-Path $Root 'tests/pester') -Exclude $ExcludeTag -Summary (Join-Path $results 'pester.json')
    $runs = @($xunit, $pesterCounts)
    $line = "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed"

    $second = if ('Postgres' -notin $ExcludeTag) { Get-SecondPostgresBin }
    if ($second) {
        # Only the PostgreSQL Pester files (not the compatibility suite): a second server version at little cost.
        Write-Host "Pester: the PostgreSQL tests again, against PostgreSQL $($second.Version) in $($second.Bin)" -ForegroundColor Cyan
        $secondCounts = Invoke-PesterRun -Path (Join-Path $Root 'tests/pester') -Tag 'Postgres' -Exclude (@('Compat') + $ExcludeTag) `
            -Summary (Join-Path $results 'pester-postgres-system.json') -Environment @{ EVENTSTORETOOLS_PG_BIN = $second.Bin }
        $runs += $secondCounts
        $line += "; Pester on PostgreSQL $($second.Version.Major): $($secondCounts.Passed) passed, $($secondCounts.Failed) failed"
    }

    $passed = ($runs | Measure-Object Passed -Sum).Sum
    $failed = ($runs | Measure-Object Failed -Sum).Sum
    $skipped = ($runs | Measure-Object Skipped -Sum).Sum
    Write-Host $line
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Compat {
    $results = New-TestResultsFolder
    Install-CompatPackages
    $counts = Invoke-PesterRun -Path (Join-Path $Root 'tests/pester/Compat.Tests.ps1') -Summary (Join-Path $results 'compat.json') `
        -Environment @{ EVENTSTORETOOLS_COMPAT_CASES = "$Cases"; EVENTSTORETOOLS_COMPAT_SEED = "$Seed" }
    Write-Output "$($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
    if ($counts.Failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Demo' { Invoke-Build; Invoke-Demo }
    'Test' { Invoke-Build; Invoke-Test }
    'Compat' { Invoke-Build; Invoke-Compat }
    'Package' {
        Invoke-Build
        $package = & (Join-Path $Root 'module/New-ModulePackage.ps1') -ModuleDirectory $ModuleDir -OutputDirectory (Join-Path $Out 'package')
        Write-Host "Packed $($package.FullName)"
    }
    'Bench' { Invoke-Build; Install-CompatPackages; & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath (Join-Path $ModuleDir 'EventStoreTools.psd1') -Scale:$Scale }
}
