# Long legal file names (up to the file system's 255 bytes, less what a backup adds beside them) work on every path
# that writes a file under a hidden temporary name beside its target.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Long file names' {
    It 'exports to, imports into, replaces, compares and tests files whose names are <Length> characters of <Letter> long' -ForEach @(
        @{ Length = 230; Letter = 'a' }
        @{ Length = 120; Letter = 'é' }
    ) {
        $stem = [string]::new([char]$Letter, $Length - 7)
        $store = Copy-Fixture 'resolve-lite-600.db' 'source.db'
        $export = Join-Path $TestDrive "$stem.ndjson"
        $copy = Join-Path $TestDrive "$stem.db"
        [Text.Encoding]::UTF8.GetByteCount((Split-Path $export -Leaf)) | Should -BeLessOrEqual 255
        Export-EventStore $store -OutFile $export
        Export-EventStore $store -OutFile $export -Since 0
        (Get-FileHash $export).Hash | Should -Be (Get-FileHash (Join-Path $Fixtures 'resolve-lite-600.export.ndjson')).Hash
        (Import-EventStore $copy -InFile $export).ImportedCount | Should -Be 600
        (Import-EventStore $copy -InFile $export -Replace -Force).ImportedCount | Should -Be 600
        (Compare-EventStore $store $copy -Summary).Identical | Should -BeTrue
        (Compare-EventStore $store $export -Summary).SameEvents | Should -BeTrue
        (Test-EventStore $export).IsValid | Should -BeTrue
        @(Get-ChildItem $TestDrive -Force -Filter '.*') | Should -BeNullOrEmpty -Because 'no hidden temporary is left behind'
    }
}
