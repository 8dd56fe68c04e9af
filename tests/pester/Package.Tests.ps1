BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# What build.ps1 -Task Package does, on the built module: the .nupkg must install from a folder repository.
Describe 'The module package' {
    BeforeAll {
        $script:Repository = New-TestPath 'repository'
        $script:Package = & (Join-Path $RepoRoot 'module/New-ModulePackage.ps1') -ModuleDirectory (Split-Path $ModuleManifest) -OutputDirectory $Repository
        $script:RepositoryName = "EventStoreToolsTest$([guid]::NewGuid().ToString('N').Substring(0, 8))"

        # Imports the installed module in a fresh pwsh and runs two of its cmdlets (native SQLite and help included).
        function script:Test-InstalledModule([string] $Folder) {
            $manifest = Get-ChildItem $Folder -Recurse -Filter EventStoreTools.psd1 | Select-Object -First 1
            $store = Copy-Fixture 'resolve-lite-600.db'
            $command = Get-PwshCommand
            $exe = $command[0]
            $rest = @($command | Select-Object -Skip 1)
            $output = & $exe @rest -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; Import-Module '$($manifest.FullName)'; (Get-EventStore '$store').EventCount; (Get-Help Compare-EventStore).Synopsis" 2>&1
            $LASTEXITCODE | Should -Be 0
            $output[0] | Should -Be '600'
            "$($output[1])" | Should -Match 'differ'
        }
    }

    It 'is named after the module and its version' {
        $Package.Name | Should -Match '^EventStoreTools\.\d+\.\d+\.\d+\.nupkg$'
    }

    It 'installs with PSResourceGet (Save-PSResource) from a local folder repository and works' {
        Register-PSResourceRepository -Name $RepositoryName -Uri $Repository -Trusted
        try {
            $found = Find-PSResource -Name EventStoreTools -Repository $RepositoryName
            $found.Tags | Should -Contain 'reSolve'
            $found.Tags | Should -Contain 'PostgreSQL'
            $found.Description | Should -Match 'PostgreSQL'
            # No placeholder addresses: none until the project has a real one (the LICENSE file is in the package).
            $found.ProjectUri | Should -BeNullOrEmpty
            $found.LicenseUri | Should -BeNullOrEmpty
            $found.ReleaseNotes | Should -Match "^$([regex]::Escape($found.Version.ToString()))\b"
            $installed = New-TestPath 'psresourceget'
            New-Item -ItemType Directory $installed | Out-Null
            Save-PSResource -Name EventStoreTools -Repository $RepositoryName -Path $installed -TrustRepository
        }
        finally { Unregister-PSResourceRepository -Name $RepositoryName }
        Test-InstalledModule $installed
    }

    It 'holds the MIT LICENSE, the about topic and the libraries under dependencies/, and no placeholder address' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            function Read-Entry([string] $Name) {
                $entry = $zip.GetEntry($Name)
                if (-not $entry) { throw "The package has no $Name." }
                $reader = [System.IO.StreamReader]::new($entry.Open())
                try { $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            $names = $zip.Entries.FullName
            $license = Read-Entry 'LICENSE'
            $license | Should -Match '^MIT License'
            $license | Should -Be (Get-Content (Join-Path $RepoRoot 'LICENSE') -Raw)
            $names | Should -Contain 'en-US/about_EventStoreTools.help.txt'
            $names | Should -Contain 'dependencies/Npgsql.dll'
            $names | Should -Contain 'dependencies/runtimes/linux-musl-x64/native/libe_sqlite3.so'
            $nuspec = [xml](Read-Entry 'EventStoreTools.nuspec')
            $nuspec.package.metadata.description | Should -Match 'PostgreSQL'
            $nuspec.package.metadata.tags -split ' ' | Should -Contain 'PostgreSQL'
            $nuspec.package.metadata.releaseNotes | Should -Match 'PowerShell 7\.6'
            foreach ($text in (Read-Entry 'EventStoreTools.nuspec'), (Read-Entry 'EventStoreTools.psd1')) { $text | Should -Not -Match 'example\.invalid' }
        }
        finally { $zip.Dispose() }
    }

    It 'carries the README, the docs pages, the charts they show and the help topics generated from them, as the repository has them' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            $names = $zip.Entries.FullName
            foreach ($file in @(Get-Item (Join-Path $RepoRoot 'README.md')) + @(Get-ChildItem (Join-Path $RepoRoot 'docs/*') -Include '*.md', '*.svg')) {
                $name = [System.IO.Path]::GetRelativePath($RepoRoot, $file.FullName).Replace('\', '/')
                $entry = $zip.GetEntry($name)
                $entry | Should -Not -BeNullOrEmpty -Because "the package carries $name"
                $reader = [System.IO.StreamReader]::new($entry.Open())
                try { $reader.ReadToEnd() | Should -Be (Get-Content $file.FullName -Raw) -Because "$name is the repository's" }
                finally { $reader.Dispose() }
            }
            foreach ($topic in 'Backups', 'IncrementalImport', 'PostgreSQL', 'LiveMigration', 'Recipes') {
                $names | Should -Contain "en-US/about_EventStoreTools_$topic.help.txt"
            }
        }
        finally { $zip.Dispose() }
    }

    It 'lists its commands: Find-PSResource -CommandName finds the module in a local repository by each of them' {
        $commands = (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport
        Register-PSResourceRepository -Name $RepositoryName -Uri $Repository -Trusted
        try {
            foreach ($command in $commands) {
                $found = Find-PSResource -CommandName $command -Repository $RepositoryName -ErrorAction Stop
                $found.Names | Should -Be $command
                $found.ParentResource.Name | Should -Be 'EventStoreTools'
            }
        }
        finally { Unregister-PSResourceRepository -Name $RepositoryName }
    }

    It 'installs with PowerShellGet 2 (Save-Module) from a local folder repository and works' -Tag 'Slow' {
        Register-PSRepository -Name $RepositoryName -SourceLocation $Repository -InstallationPolicy Trusted
        try {
            $installed = New-TestPath 'powershellget'
            New-Item -ItemType Directory $installed | Out-Null
            Save-Module -Name EventStoreTools -Repository $RepositoryName -Path $installed
        }
        finally { Unregister-PSRepository -Name $RepositoryName }
        Test-InstalledModule $installed
    }
}
