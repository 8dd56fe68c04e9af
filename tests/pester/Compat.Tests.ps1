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

Describe 'A real reSolve writer (tests/compat/writer.js)' -Tag 'Compat', 'Postgres' {
    BeforeAll {
        # The writer's NDJSON report lines, once it has ended: $Stop (closing its input, or freezing the store)
        # runs after it reported 20 saved events.
        function Invoke-Writer([string[]] $Store, [scriptblock] $Stop) {
            $start = [System.Diagnostics.ProcessStartInfo]::new((Get-Command node -CommandType Application | Select-Object -First 1).Source)
            foreach ($argument in @((Join-Path $RepoRoot 'tests/compat/writer.js')) + $Store + @('--rate', '200')) { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardInput = $true
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($start)
            try {
                $lines = [System.Collections.Generic.List[string]]::new()
                while ($lines.Count -lt 20 -and $null -ne ($line = $process.StandardOutput.ReadLine())) { $lines.Add($line) }
                $null = & $Stop $process
                # The writer ends by itself once stopped (its input closed, or reSolve's frozen error): read until it
                # has said so, with no fixed wait, and show everything it said when it did not.
                $reading = $process.StandardOutput.ReadToEndAsync()
                if (-not $reading.Wait(60000)) { throw "The writer did not stop within 60 s after it was told to; it said:`n$($lines -join "`n")" }
                $lines.AddRange([string[]]@($reading.Result -split "`n" | Where-Object { $_ }))
                $process.WaitForExit()
                $said = "$($lines -join "`n")`n$($process.StandardError.ReadToEnd())"
                $process.ExitCode | Should -Be 0 -Because $said
                $events = @($lines | ForEach-Object { $_ | ConvertFrom-Json })
                $events[-1].done | Should -BeTrue -Because "the writer's last line is its closing report:`n$said"
                $events
            }
            finally { if (-not $process.HasExited) { $process.Kill() } }
        }
        $script:CloseInput = { param($process) $process.StandardInput.Close() }
    }

    It 'appends with reSolve''s saveEvent to <Engine> until its input closes, and stops at reSolve''s EventstoreFrozenError once the store is frozen' -ForEach @(
        @{ Engine = 'sqlite' }, @{ Engine = 'postgres' }
    ) {
        if ($Engine -eq 'sqlite') {
            $path = New-TestPath 'live.db'
            $store = @('--engine', 'sqlite', '--file', $path)
            $parameters = @{ Path = $path }
        }
        else {
            $store = @('--engine', 'postgres', '--schema', 'live', '--pg-port', $Server.Port)
            $parameters = @{ ConnectionString = $Server.ConnectionString; Schema = 'live' }

        }
        # Frozen as a cutover freezes it: Set-EventStore takes the write lock between two of the writer's saves (a
        # plain CREATE TABLE on SQLite could wait past its busy timeout while the writer keeps taking the lock).
        $freeze = { Set-EventStore @parameters -Frozen }
        $first = Invoke-Writer $store $CloseInput
        $first[-1].done | Should -BeTrue
        $first[-1].frozen | Should -Be 0
        $first[-1].saved | Should -BeGreaterOrEqual 20
        @($first | Where-Object { $null -ne $_.threadCounter }).Count | Should -Be $first[-1].saved
        (Get-EventStore @parameters).EventCount | Should -Be $first[-1].saved

        $second = Invoke-Writer $store { param($process) & $freeze }
        $second[-1].frozen | Should -Be 1
        ($second | Where-Object frozen -eq $true)[0].message | Should -Be 'Event store is frozen'
        $description = Get-EventStore @parameters
        $description.EventCount | Should -Be ($first[-1].saved + $second[-1].saved)
        $description.IsFrozen | Should -BeTrue
    }
}
