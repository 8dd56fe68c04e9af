# One backup at a time, whoever reads: a folder re-exported in a loop by one process, from two different stores in
# turn, while this process restores from it in a loop. Every restore holds the events and the secrets of one and the
# same backup, or fails with the module's own error saying the folder changed; never a mix, never a bare exception.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'A backup folder exported again while it is restored' -Tag 'Fault' {
    It 'restores the events and secrets of one backup, or fails with BackupManifestMismatch, in every one of many tries' {
        $first = Copy-Fixture 'resolve-lite-600.db' 'first.db'
        Invoke-SqliteQuery $first "INSERT INTO secrets (idx, id, secret) VALUES (0, 'first-1', 'a'), (1, 'first-2', 'b')" | Out-Null
        $second = New-TestPath 'second.db'
        New-EventStore $second -SampleEventCount 300 -AggregateCount 10 -SecretCount 5 -Seed 3 | Out-Null
        $secondSecrets = @(Invoke-SqliteQuery $second 'SELECT id FROM secrets ORDER BY id' | ForEach-Object { "$_" })
        $backup = Join-Path $TestDrive 'shared-backup'
        Export-EventStore $first -Directory $backup -IncludeSecrets

        $stop = Join-Path $TestDrive 'stop'
        $exporter = @"
`$stores = '$first', '$second'
for (`$i = 0; -not (Test-Path '$stop') -and `$i -lt 2000; `$i++) {
    Export-EventStore `$stores[`$i % 2] -Directory '$backup' -IncludeSecrets -Compression (('None', 'GZip')[`$i % 2])
}
"@
        $command = Get-PwshCommand
        $start = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "`$ProgressPreference='SilentlyContinue'; Import-Module '$ModuleManifest'; $exporter")) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [Diagnostics.Process]::Start($start)
        $outcomes = [Collections.Generic.List[string]]::new()
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            for ($n = 0; $clock.Elapsed.TotalSeconds -lt 12 -and $n -lt 200; $n++) {
                $target = New-TestPath "restored-$n.db"
                try {
                    $result = Import-EventStore $target -Directory $backup -ErrorAction Stop
                    $secrets = @(Invoke-SqliteQuery $target 'SELECT id FROM secrets ORDER BY id' | ForEach-Object { "$_" })
                    $outcomes.Add(('{0} events, secrets {1}' -f $result.ImportedCount, ($secrets -join ',')))
                }
                catch {
                    $outcomes.Add("error $($_.FullyQualifiedErrorId): $($_.Exception.Message)")
                    $target | Should -Not -Exist -Because 'a refused restore creates nothing'
                }
                Remove-Item $target -ErrorAction Ignore
            }
        }
        finally {
            New-Item $stop -ItemType File | Out-Null
            if (-not $child.WaitForExit(60000)) { $child.Kill() }
        }
        $child.ExitCode | Should -Be 0 -Because $child.StandardError.ReadToEnd()
        $consistent = @(
            '600 events, secrets first-1,first-2'
            "300 events, secrets $($secondSecrets -join ',')"
        )
        # A refusal is the module's BackupManifestMismatch, whichever check saw the change first: a file named by the
        # manifest found gone or of another size before reading, or a file changed while it was read.
        $bad = @($outcomes | Where-Object { $_ -notin $consistent -and $_ -notmatch '^error ImportEventStoreBackupManifestMismatch,.*(changed while it was read|run this again)' })
        $bad | Should -BeNullOrEmpty -Because "every restore is one whole backup or the module's refusal ($($outcomes.Count) tries)"
        @($outcomes | Where-Object { $_ -in $consistent }).Count | Should -BeGreaterThan 0 -Because 'some restores succeed'
        Write-Host ("{0} restores while the folder was exported again: {1} whole, {2} refused (BackupManifestMismatch)." -f $outcomes.Count,
            @($outcomes | Where-Object { $_ -in $consistent }).Count, @($outcomes | Where-Object { $_ -like 'error*' }).Count)
    }
}
