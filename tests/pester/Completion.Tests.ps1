# Tab completion offers values only where they come from the store or a fixed set (issue 26): -ImportId the open
# import of the store already named on the line, a switch nothing, a fixed set its values; never file names there.
BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Tab completion' {
    BeforeAll {
        function script:Complete([string] $Line) { (TabExpansion2 $Line $Line.Length).CompletionMatches }
    }

    It '<Command> -ImportId completes the open import of the store in <Named>' -ForEach @(
        @{ Command = 'Add-IncrementalImport'; Named = '-Path' }
        @{ Command = 'Complete-IncrementalImport'; Named = '-Path' }
        @{ Command = 'Undo-IncrementalImport'; Named = '-LiteralPath' }
    ) {
        Push-Location $TestDrive
        try {
            $store = New-IncrementalBaseStore "complete-$($Command.ToLowerInvariant()).db"
            $id = (Start-IncrementalImport $store).ImportId
            $name = Split-Path $store -Leaf
            @(Complete "$Command $Named ./$name -ImportId ").CompletionText | Should -Be @($id)
            @(Complete "$Command $Named ./$name -ImportId $($id.Substring(0, 4))").CompletionText | Should -Be @($id)
            @(Complete "$Command $Named ./$name -ImportId zz-no-such") | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It '-ImportId completes nothing for a store without an open import, a missing store, or no store named yet, and creates no file' {
        Push-Location $TestDrive
        try {
            $store = New-IncrementalBaseStore 'closed.db'
            @(Complete 'Complete-IncrementalImport ./closed.db -ImportId ') | Should -BeNullOrEmpty
            @(Complete 'Complete-IncrementalImport ./absent.db -ImportId ') | Should -BeNullOrEmpty
            Test-Path (Join-Path $TestDrive 'absent.db') | Should -BeFalse
            @(Complete 'Complete-IncrementalImport -ImportId ') | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
    }

    It '-Frozen, a switch, completes no value, and a fixed set completes its values' {
        Push-Location $TestDrive
        try {
            Copy-Fixture 'resolve-lite-600.db' 'frozen.db' | Out-Null
            $frozen = (Get-Command Set-EventStore).Parameters['Frozen']
            $frozen.SwitchParameter | Should -BeTrue
            $frozen.Attributes.Where({ $_ -is [ArgumentCompleter] }) | Should -BeNullOrEmpty
            # The value of a switch is $true or $false, never a file name.
            @(Complete 'Set-EventStore ./frozen.db -Frozen:').CompletionText | Should -Not -Contain './frozen.db'
            @(Complete 'Export-EventStore ./frozen.db -Compression ').CompletionText | Sort-Object | Should -Be @('GZip', 'None', 'Zstandard')
            @(Complete 'Compare-EventStore ./frozen.db ./frozen.db -PayloadComparison ').CompletionText | Sort-Object | Should -Be @('Bytes', 'Json', 'Text')
        }
        finally { Pop-Location }
    }
}
