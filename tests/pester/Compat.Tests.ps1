# The compatibility suite (tests/compat): seeded, generated cases through reSolve's real adapters
# (@resolve-js/eventstore-lite and -postgresql 0.34.3, in Node) and through the built module, both ways, on SQLite
# and on a PostgreSQL server this file starts. compat.js runs every case once (in BeforeAll); each It below asserts
# one direction on one engine: no difference that no documented rule explains.
# EVENTSTORETOOLS_COMPAT_CASES and EVENTSTORETOOLS_COMPAT_SEED (build.ps1 -Task Compat -Cases N -Seed S) run others.
BeforeDiscovery {
    $script:Checks = foreach ($engine in 'sqlite', 'postgres') {
        foreach ($direction in 'resolve-save/export', 'resolve-import/export', 'import-file', 'import-objects', 'import-copy', 'incremental') {
            @{ Engine = $engine; Direction = $direction }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $cases = if ($env:EVENTSTORETOOLS_COMPAT_CASES) { [int]$env:EVENTSTORETOOLS_COMPAT_CASES } else { 200 }
    $seed = if ($env:EVENTSTORETOOLS_COMPAT_SEED) { [int]$env:EVENTSTORETOOLS_COMPAT_SEED } else { 1 }
    # SQLite files in memory where the OS offers it: reSolve's adapter syncs every statement of its DDL to disk.
    $root = if (Test-Path /dev/shm -PathType Container) { '/dev/shm' } else { $TestDrive }
    $script:Work = Join-Path $root "est-compat-$([guid]::NewGuid().ToString('N'))"
    $summaryFile = Join-Path $TestDrive 'compat-summary.json'
    $node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $node) { throw 'node not found: the compatibility suite needs Node.js 20' }
    $pwshCommand = Get-PwshCommand
    $pwsh = ConvertTo-Json -Compress -InputObject @($pwshCommand)
    $arguments = @(
        (Join-Path $RepoRoot 'tests/compat/compat.js'), '--cases', $cases, '--seed', $seed, '--work', $Work, '--module', $ModuleManifest,
        '--pwsh', $pwsh, '--pg-port', $Server.Port, '--summary', $summaryFile
    )
    $script:Output = & $node.Source @arguments 2>&1 | ForEach-Object { "$_" }
    $script:ExitCode = $LASTEXITCODE
    # The closing line says how many cases and results were compared; every difference is printed above it.
    $Output | Write-Host
    $script:Summary = if (Test-Path $summaryFile) { Get-Content $summaryFile -Raw | ConvertFrom-Json } else { $null }
}

AfterAll {
    Stop-TestPostgres $Server
    if ($Work) { Remove-Item $Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Compatibility with reSolve''s own adapters' -Tag 'Compat', 'Postgres' {
    It 'runs every generated case through both tools' {
        $ExitCode | Should -Be 0 -Because ($Output -join "`n")
        $Summary.compared | Should -BeGreaterThan ($Summary.cases * 8) -Because 'every case compares most directions on both engines'
    }

    It '<Direction> on <Engine>: the same as reSolve, or a difference a documented rule explains' -ForEach $Checks {
        $mine = @($Summary.differences | Where-Object { $_.engine -eq $Engine -and $_.direction -eq $Direction })
        $report = $mine | Select-Object -First 10 | ForEach-Object { "case-seed $($_.caseSeed): $($_.difference)" }
        $mine.Count | Should -Be 0 -Because "reSolve's result differs in $($mine.Count) cases:`n$($report -join "`n")"
        $Summary.comparedBy."$Engine $Direction" | Should -BeGreaterThan 0
    }
}
