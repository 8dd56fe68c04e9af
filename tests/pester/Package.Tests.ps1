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
            $found.ProjectUri | Should -Not -BeNullOrEmpty
            $found.LicenseUri | Should -Not -BeNullOrEmpty
            $installed = New-TestPath 'psresourceget'
            New-Item -ItemType Directory $installed | Out-Null
            Save-PSResource -Name EventStoreTools -Repository $RepositoryName -Path $installed -TrustRepository
        }
        finally { Unregister-PSResourceRepository -Name $RepositoryName }
        Test-InstalledModule $installed
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
