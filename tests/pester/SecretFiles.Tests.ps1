# Secret-bearing files are private and secret values stay out of error records: backup secrets files, stores
# restored from a backup and Compare-EventStore's scratch copy are created 0600 whatever the umask, a replaced file
# keeps its stricter mode (and, replaced by root, its owner), a restore is never more readable than its backup, and
# Get-Error shows no secret of a bad secrets.db.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Runs a script in a fresh pwsh under a umask (set by the shell that starts it); returns its output lines.
    function Invoke-UnderUmask([string] $Umask, [string] $Script) {
        $pwshCommand = Get-PwshCommand
        $pwsh = ($pwshCommand | ForEach-Object { "'$_'" }) -join ' '
        # As in-process (TestHelpers.ps1), the module's warnings are not printed: these tests are about file modes.
        $command = "`$ProgressPreference='SilentlyContinue'; `$ErrorActionPreference='Stop'; `$WarningPreference='SilentlyContinue'; Import-Module '$ModuleManifest'; $Script"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($command))
        $output = /bin/sh -c "umask $Umask && exec $pwsh -NoProfile -NonInteractive -EncodedCommand $encoded" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output
    }
    function Get-Mode([string] $Path) { stat -c %a $Path }
    $script:Secret = "TOPSECRET-$([guid]::NewGuid().ToString('N'))"
    function New-SecretStore([string] $Name) {
        $store = Copy-Fixture 'resolve-lite-600.db' $Name
        Invoke-SqliteQuery $store "INSERT INTO secrets (idx, id, secret) VALUES (0, 'user-1', '$Secret')"
        $store
    }
}

Describe 'Secret-bearing files are private' -Tag Unix -Skip:$IsWindows {
    It 'creates a backup''s secrets file 0600 (plain, .gz, .zst) under umask <Umask>, events.db with the umask''s default' -ForEach @(
        @{ Umask = '0022'; Events = '644' }, @{ Umask = '0000'; Events = '666' }
    ) {
        $store = New-SecretStore "umask-$Umask.db"
        $folder = Join-Path $TestDrive "backup-$Umask"
        Invoke-UnderUmask $Umask @"
Export-EventStore '$store' -Directory '$folder/plain' -IncludeSecrets
Export-EventStore '$store' -Directory '$folder/gz' -IncludeSecrets -Compression GZip
Export-EventStore '$store' -Directory '$folder/zst' -IncludeSecrets -Compression Zstandard
"@ | Out-Null
        Get-Mode "$folder/plain/secrets.db" | Should -Be '600'
        Get-Mode "$folder/gz/secrets.db.gz" | Should -Be '600'
        Get-Mode "$folder/zst/secrets.db.zst" | Should -Be '600'
        Get-Mode "$folder/plain/events.db" | Should -Be $Events
        Get-Content "$folder/plain/secrets.db" -Raw | Should -Match $Secret
    }

    It 'keeps 0600 when an export replaces a chmod-600 file (-OutFile and a backup folder), and 0640 stays 0640' {
        $store = New-SecretStore 'replace.db'
        $folder = Join-Path $TestDrive 'replace-backup'
        $out = Join-Path $TestDrive 'replace.ndjson.zst'
        $groupReadable = Join-Path $TestDrive 'group.ndjson'
        Export-EventStore $store -Directory $folder -IncludeSecrets
        Export-EventStore $store -OutFile $out
        Export-EventStore $store -OutFile $groupReadable
        chmod 600 $out "$folder/events.db" "$folder/eventstoretools-manifest.json"
        chmod 640 $groupReadable
        Invoke-UnderUmask '0022' @"
Export-EventStore '$store' -OutFile '$out'
Export-EventStore '$store' -OutFile '$groupReadable'
Export-EventStore '$store' -Directory '$folder' -IncludeSecrets
"@ | Out-Null
        Get-Mode $out | Should -Be '600'
        Get-Mode $groupReadable | Should -Be '640'
        foreach ($name in 'events.db', 'secrets.db', 'eventstoretools-manifest.json') { Get-Mode "$folder/$name" | Should -Be '600' }
    }

    It 'keeps the owner and group of a file root replaces' -Skip:((id -u) -ne '0') {
        $store = New-SecretStore 'owner.db'
        $out = Join-Path $TestDrive 'owned.ndjson'
        Export-EventStore $store -OutFile $out
        chown 4321:4322 $out
        chmod 600 $out
        Invoke-UnderUmask '0022' "Export-EventStore '$store' -OutFile '$out'" | Out-Null
        stat -c '%u:%g %a' $out | Should -Be '4321:4322 600'
    }

    It 'restores a store 0600 from a backup folder with secrets, and never wider than the export it is restored from' {
        $store = New-SecretStore 'restore.db'
        $folder = Join-Path $TestDrive 'restore-backup'
        Export-EventStore $store -Directory $folder -IncludeSecrets
        $private = Join-Path $TestDrive 'private.ndjson'
        $public = Join-Path $TestDrive 'public.ndjson'
        Export-EventStore $store -OutFile $private
        Export-EventStore $store -OutFile $public
        chmod 600 $private
        chmod 644 $public
        $restored = Join-Path $TestDrive 'restored'
        New-Item -ItemType Directory $restored | Out-Null
        Invoke-UnderUmask '0022' @"
Import-EventStore '$restored/from-folder.db' -Directory '$folder' | Out-Null
Import-EventStore '$restored/from-private.db' -InFile '$private' | Out-Null
Import-EventStore '$restored/from-public.db' -InFile '$public' | Out-Null
"@ | Out-Null
        Get-Mode "$restored/from-folder.db" | Should -Be '600'
        (Get-EventStore "$restored/from-folder.db").SecretCount | Should -Be 1
        Get-Mode "$restored/from-private.db" | Should -Be '600'
        Get-Mode "$restored/from-public.db" | Should -Be '644'
    }

    It 'creates Compare-EventStore''s temporary copy of a backup 0600 before it holds any event' {
        $store = New-SecretStore 'compare.db'
        $lines = Get-Content (Join-Path $Fixtures 'resolve-lite-600.export.ndjson')
        $scratch = Join-Path $TestDrive 'tmp'
        New-Item -ItemType Directory $scratch | Out-Null
        $fifo = Join-Path $TestDrive 'export.fifo'
        mkfifo $fifo
        # The export comes through standard input, held open half written: the temporary copy exists meanwhile.
        $pwshCommand = Get-PwshCommand
        $pwsh = ($pwshCommand | ForEach-Object { "'$_'" }) -join ' '
        $script = "Import-Module '$ModuleManifest'; (Compare-EventStore '$store' - -Summary).Identical"
        $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $start.ArgumentList.Add('-c')
        $start.ArgumentList.Add("umask 0022 && TMPDIR='$scratch' exec $pwsh -NoProfile -NonInteractive -c `"$script`" < '$fifo'")
        # The verdict comes back here, not into the test run's output.
        $start.RedirectStandardOutput = $true
        $child = [Diagnostics.Process]::Start($start)
        try {
            $writer = [IO.StreamWriter]::new($fifo)
            $lines[0..299] | ForEach-Object { $writer.Write("$_`n") }
            $writer.Flush()
            # The runtime keeps its own pipes in TMPDIR too; ours are the compare copy and its journal, in a folder
            # of their own that only the user can open.
            $folders = { @(Get-ChildItem $scratch -Force -Directory -Filter 'eventstoretools-compare-*') }
            $copies = { @(& $folders | Get-ChildItem -Force -File) }
            Wait-Until { (& $copies).Count -gt 0 } -Child $child
            foreach ($folder in & $folders) { Get-Mode $folder.FullName | Should -Be '700' -Because $folder.Name }
            foreach ($file in & $copies) { Get-Mode $file.FullName | Should -Be '600' -Because $file.Name }
            $lines[300..($lines.Count - 1)] | ForEach-Object { $writer.Write("$_`n") }
            $writer.Dispose()
            $verdict = $child.StandardOutput.ReadToEndAsync()
            $child.WaitForExit(60000) | Should -BeTrue
            $child.ExitCode | Should -Be 0
            $verdict.Result.Trim() | Should -Be 'True' -Because 'the export read from standard input is the store'
            & $folders | Should -BeNullOrEmpty -Because 'the temporary copy and its folder are deleted'
        }
        finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
    }
}

Describe 'Secret values never appear in error records' {
    It 'shows no secret in Get-Error for a secrets.db line with <Case>, and names the line' -ForEach @(
        @{ Case = 'an id of the wrong type'; Lines = @('{"secret":"SECRET","id":42,"idx":0}'); ErrorId = 'InvalidInput'; Category = 'InvalidData' }
        @{ Case = 'a duplicate id'; Lines = @('{"secret":"SECRET-a","id":"user-1","idx":0}', '{"secret":"SECRET-b","id":"user-1","idx":1}'); ErrorId = 'DuplicateSecret'; Category = 'ResourceExists' }
        @{ Case = 'text that is not JSON'; Lines = @('{"secret":"SECRET","id":"user-1",'); ErrorId = 'InvalidInput'; Category = 'InvalidData' }
    ) {
        $folder = Join-Path $TestDrive ("bad-secrets-" + [guid]::NewGuid().ToString('N'))
        Export-EventStore (Copy-Fixture 'resolve-lite-600.db' 'bad-secrets.db') -Directory $folder
        Remove-Item (Join-Path $folder 'eventstoretools-manifest.json')
        [IO.File]::WriteAllText((Join-Path $folder 'secrets.db'), (($Lines -creplace 'SECRET', $Secret) -join "`n") + "`n")
        $target = New-TestPath 'bad-secrets-restored.db'
        # The folder has no manifest now: the import warns that its completeness cannot be proved.
        $record = Get-ErrorRecord { Import-EventStore $target -Directory $folder -Verbose -Debug -WarningAction SilentlyContinue 4>$null 5>$null }
        Assert-ErrorRecord $record 'Import-EventStore' $ErrorId $Category
        $shown = ($record | Get-Error | Out-String -Width 400) + ($record | Format-List * -Force | Out-String -Width 400)
        $shown | Should -Not -Match 'TOPSECRET'
        $shown | Should -Match 'user-1|line 1'
        Test-Path $target | Should -BeFalse
        # -Verbose and -Debug stay clean too.
        $told = try { Import-EventStore (New-TestPath 'bad-secrets-told.db') -Directory $folder -Verbose -Debug -WarningAction SilentlyContinue 4>&1 5>&1 } catch { $_.Exception.Message }
        $told | Should -Not -BeNullOrEmpty
        ($told | Out-String) | Should -Not -Match 'TOPSECRET'
    }
}
