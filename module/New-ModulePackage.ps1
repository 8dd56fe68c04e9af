<#
.SYNOPSIS
Packs the built module folder into a .nupkg that Install-PSResource, Save-PSResource and Install-Module
accept from a folder repository (Register-PSResourceRepository -Uri <folder> -Trusted); returns the file.
#>
[CmdletBinding()]
param(
    # The built module folder (its name is the module's name, as PSResourceGet requires).
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$manifest = Import-PowerShellDataFile (Join-Path $ModuleDirectory 'EventStoreTools.psd1')
New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
$package = Join-Path $OutputDirectory "EventStoreTools.$($manifest.ModuleVersion).nupkg"
Remove-Item $package -ErrorAction Ignore
# Compress-PSResource (PSResourceGet, shipped with pwsh 7.4+) packs without a network or a registered repository.
Compress-PSResource -Path $ModuleDirectory -DestinationPath $OutputDirectory
if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
Get-Item $package
