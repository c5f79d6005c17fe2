# Pester 5: the package that build.ps1 -Task Package makes (output/MessagingTools.<version>.nupkg; the Pester task makes
# it too) is what PSResourceGet installs and a gallery takes. It is published into a local folder repository registered
# for this file (unregistered in AfterAll), saved from it with Save-PSResource into a folder of the test (the install of
# PSResourceGet into a path of our choosing: Install-PSResource -Scope CurrentUser would write into the user's own module
# folder), imported BY NAME in a new PowerShell process and used against the sandbox, also from ForEach-Object -Parallel.
# Where the CurrentUser folder can be moved (Linux and macOS: HOME and XDG_DATA_HOME), the README's commands for a
# downloaded .nupkg (Register-PSResourceRepository, Install-PSResource) run as written, in a new user profile.
# Needs PSResourceGet (PowerShell 7.4+; Windows PowerShell 5.1 only once installed): skipped without it.

BeforeDiscovery {
    $HasPSResourceGet = $null -ne (Get-Module -ListAvailable -Name 'Microsoft.PowerShell.PSResourceGet' | Select-Object -First 1)
    $OnWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

Describe 'The package (output/MessagingTools.<version>.nupkg)' -Skip:(-not $HasPSResourceGet) {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $ProgressPreference = 'SilentlyContinue'
        $Version = Get-ModuleVersion
        $BuiltManifest = Get-BuiltModulePath
        $ModuleFolder = Split-Path -Parent $BuiltManifest
        $OutputFolder = Split-Path -Parent (Split-Path -Parent $ModuleFolder)
        $Package = Join-Path $OutputFolder ("MessagingTools.{0}.nupkg" -f $Version)
        if (-not (Test-Path -LiteralPath $Package)) {
            throw "There is no package: '$Package' does not exist. Run ./build.ps1 -Task Package (or -Task Pester, which makes it too)."
        }
        $Built = Import-PowerShellDataFile -LiteralPath $BuiltManifest

        # What the package holds: its entries, its nuspec, and a hash of each file of the module.
        # NuGet's own parts ([Content_Types].xml, _rels/, package/, the .nuspec) are not the module's.
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $PackageFiles = @{}
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
        try {
            $sha = [System.Security.Cryptography.SHA256]::Create()
            foreach ($entry in @($zip.Entries)) {
                $name = [System.Uri]::UnescapeDataString($entry.FullName)
                if ($name.EndsWith('/')) { continue }
                $stream = $entry.Open()
                try {
                    if ($name -eq 'MessagingTools.nuspec') {
                        $reader = New-Object System.IO.StreamReader($stream)
                        $Nuspec = [xml]$reader.ReadToEnd()
                        $reader.Dispose()
                        continue
                    }
                    if ($name -eq '[Content_Types].xml' -or $name -like '_rels/*' -or $name -like 'package/*') { continue }
                    $PackageFiles[$name] = [System.BitConverter]::ToString($sha.ComputeHash($stream))
                }
                finally {
                    $stream.Dispose()
                }
            }
            $sha.Dispose()
        }
        finally {
            $zip.Dispose()
        }

        # A local folder repository of our own, under a name no one else uses; the package published into it.
        $RepositoryName = 'MessagingToolsTest-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $RepositoryFolder = Join-Path $TestDrive 'repository'
        $null = New-Item -ItemType Directory -Path $RepositoryFolder
        Register-PSResourceRepository -Name $RepositoryName -Uri $RepositoryFolder -Trusted -ErrorAction Stop
        if ((Get-Command -Name Publish-PSResource).Parameters.ContainsKey('NupkgPath')) {
            Publish-PSResource -NupkgPath $Package -Repository $RepositoryName -ErrorAction Stop
        }
        else {
            # PSResourceGet 1.0 (PowerShell 7.4) publishes only from a module folder: a folder repository is its files.
            Copy-Item -LiteralPath $Package -Destination $RepositoryFolder
        }

        # Installed with PSResourceGet into a folder of the test, which the child processes put on PSModulePath.
        $Modules = Join-Path $TestDrive 'Modules'
        $null = New-Item -ItemType Directory -Path $Modules
        Save-PSResource -Name MessagingTools -Repository $RepositoryName -Path $Modules -TrustRepository -ErrorAction Stop
        $InstalledModuleBase = Join-Path $Modules (Join-Path 'MessagingTools' $Version)

        $Sandbox = Start-TestSandbox

        function Invoke-InstalledModuleScript {
            <#
            Runs a script in a new PowerShell process that finds MessagingTools BY NAME on PSModulePath (-ModulePath first),
            with $endpoint and $key set to the sandbox's Bale endpoint and key. The script writes its result as JSON to
            the file $resultFile; returns that result, or throws with the child's output when it wrote none.
            #>
            param([string]$ModulePath, [string]$Script)
            $resultFile = Join-Path $TestDrive ('result-' + [guid]::NewGuid().ToString('N') + '.json')
            $prelude = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$env:PSModulePath = $(ConvertTo-SingleQuoted $ModulePath) + [System.IO.Path]::PathSeparator + `$env:PSModulePath
`$endpoint = $(ConvertTo-SingleQuoted $Sandbox.BaleEndpoint)
`$key = $(ConvertTo-SingleQuoted $Sandbox.BaleApiKey)
`$resultFile = $(ConvertTo-SingleQuoted $resultFile)
"@
            $child = Invoke-ChildPowerShell -Script ($prelude + "`n" + $Script)
            if (-not (Test-Path -LiteralPath $resultFile)) {
                throw ("The child process wrote no result (exit code {0}):`n{1}" -f $child.ExitCode, ($child.Lines -join "`n"))
            }
            Get-Content -LiteralPath $resultFile -Raw -Encoding UTF8 | ConvertFrom-Json
        }
    }

    AfterAll {
        if ($RepositoryName) { Unregister-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue }
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'is MessagingTools <version> in the repository, with the project address, license address, tags and release notes' {
        $found = @(Find-PSResource -Name MessagingTools -Repository $RepositoryName -ErrorAction Stop)
        $found.Count | Should -Be 1
        [string]$found[0].Version | Should -Be $Version
        $data = $Built.PrivateData.PSData
        [string]$found[0].ProjectUri | Should -Be $data.ProjectUri
        [string]$found[0].LicenseUri | Should -Be $data.LicenseUri
        @($found[0].Tags) | Should -Contain 'Bale'

        $metadata = $Nuspec.package.metadata
        $metadata.id | Should -Be 'MessagingTools'
        $metadata.version | Should -Be $Version
        $metadata.projectUrl | Should -Be $data.ProjectUri
        $metadata.licenseUrl | Should -Be $data.LicenseUri
        ($metadata.releaseNotes -replace '\r\n', "`n") | Should -BeExactly ($data.ReleaseNotes -replace '\r\n', "`n")
        @($metadata.tags -split ' ') | Should -Contain 'PSModule'
    }

    It 'holds the built module, file for file, and no XML file but the help' {
        $expected = @{}
        foreach ($file in @(Get-ChildItem -LiteralPath $ModuleFolder -Recurse -File)) {
            $expected[$file.FullName.Substring($ModuleFolder.Length + 1).Replace('\', '/')] = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash
        }
        (@($PackageFiles.Keys | Sort-Object) -join ', ') | Should -Be (@($expected.Keys | Sort-Object) -join ', ') -Because 'the package holds the module folder as built (run ./build.ps1 -Task Package after a build)'
        foreach ($name in @($expected.Keys)) {
            $PackageFiles[$name].Replace('-', '') | Should -Be $expected[$name] -Because "$name in the package must be the file the build made"
        }
        (@($PackageFiles.Keys | Where-Object { $_ -like '*.xml' }) -join ', ') | Should -Be 'en-US/MessagingTools.dll-Help.xml' -Because 'the assemblies'' XML doc files do not ship'
        $PackageFiles.Keys | Should -Contain 'MessagingTools.psd1'
        $PackageFiles.Keys | Should -Contain 'MessagingTools.dll'
        $PackageFiles.Keys | Should -Contain 'LICENSE'
        $PackageFiles.Keys | Should -Not -Contain 'System.Management.Automation.dll'
    }

    It 'is installed by PSResourceGet as MessagingTools/<version>, a module that passes Test-ModuleManifest' {
        $manifest = Join-Path $InstalledModuleBase 'MessagingTools.psd1'
        $manifest | Should -Exist
        $problems = $null
        $module = Test-ModuleManifest -Path $manifest -ErrorAction SilentlyContinue -ErrorVariable problems
        @($problems) | Should -BeNullOrEmpty
        [string]$module.Version | Should -Be $Version
        (Join-Path $InstalledModuleBase 'MessagingTools.dll') | Should -Exist
        (Join-Path $InstalledModuleBase 'en-US/MessagingTools.dll-Help.xml') | Should -Exist
    }

    It 'is imported by name in a new process and sends through the sandbox' {
        $result = Invoke-InstalledModuleScript -ModulePath $Modules -Script @'
Import-Module -Name MessagingTools
$module = Get-Module -Name MessagingTools
$sent = Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'from the installed package' -BotId 123 -ApiKey $key -Endpoint $endpoint
$json = ConvertTo-Json -InputObject ([pscustomobject]@{ ModuleBase = $module.ModuleBase; Version = [string]$module.Version; PhoneNumber = [string]$sent.PhoneNumber; Commands = @($module.ExportedCmdlets.Keys).Count })
[System.IO.File]::WriteAllText($resultFile, $json)
'@
        $result.ModuleBase | Should -Be $InstalledModuleBase
        $result.Version | Should -Be $Version
        $result.Commands | Should -Be @($Built.CmdletsToExport).Count
        $result.PhoneNumber | Should -Not -BeNullOrEmpty
        $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
        $deliveries.Count | Should -Be 1
        $deliveries[0].phoneNumber | Should -Be '989123456789'
        $deliveries[0].text | Should -Be 'from the installed package'
        $deliveries[0].botId | Should -Be 123
    }

    It 'sends from ForEach-Object -Parallel, each runspace finding the installed module by name' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        # No Import-Module: the first Send-BaleMessage of each runspace autoloads MessagingTools from PSModulePath.
        $result = Invoke-InstalledModuleScript -ModulePath $Modules -Script @'
$outcomes = @(1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
        $failure = $null
        $phone = $null
        try {
            $sent = Send-BaleMessage -PhoneNumber ('0913555000' + $_) -Text ('parallel ' + $_) -BotId 123 -ApiKey $using:key -Endpoint $using:endpoint -ErrorAction Stop
            $phone = [string]$sent.PhoneNumber
        }
        catch {
            $failure = $_.ToString()
        }
        [pscustomobject]@{ Part = $_; ModuleBase = (Get-Module -Name MessagingTools).ModuleBase; PhoneNumber = $phone; Failure = $failure }
    })
[System.IO.File]::WriteAllText($resultFile, (ConvertTo-Json -InputObject $outcomes -Depth 3))
'@
        $outcomes = @($result | ForEach-Object { $_ })
        $outcomes.Count | Should -Be 4
        foreach ($outcome in $outcomes) {
            $outcome.Failure | Should -BeNullOrEmpty
            $outcome.ModuleBase | Should -Be $InstalledModuleBase
        }
        $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
        (@($deliveries | ForEach-Object { [string]$_.phoneNumber } | Sort-Object) -join ',') | Should -Be '989135550001,989135550002,989135550003,989135550004'
        (@($deliveries | ForEach-Object { [string]$_.text } | Sort-Object) -join ',') | Should -Be 'parallel 1,parallel 2,parallel 3,parallel 4'
    }

    It 'installs with the README''s commands for a downloaded .nupkg (Install-PSResource -Scope CurrentUser) in a new user profile' -Skip:($OnWindows) {
        # The user's folders (module folder of CurrentUser, PSResourceGet's repository list) moved into the test drive;
        # PSModulePath unset, so that the new processes start with the default one of that user.
        $profileRoot = Join-Path $TestDrive 'profile'
        $downloads = Join-Path $profileRoot 'Downloads/MessagingTools'
        $null = New-Item -ItemType Directory -Path $downloads -Force
        Copy-Item -LiteralPath $Package -Destination $downloads
        $repositoriesBefore = (@(Get-PSResourceRepository | ForEach-Object { $_.Name } | Sort-Object) -join ',')
        $saved = @{}
        $profileEnvironment = @{
            HOME            = $profileRoot
            XDG_DATA_HOME   = (Join-Path $profileRoot '.local/share')
            XDG_CONFIG_HOME = (Join-Path $profileRoot '.config')
            XDG_CACHE_HOME  = (Join-Path $profileRoot '.cache')
            PSModulePath    = $null
        }
        foreach ($name in @($profileEnvironment.Keys)) {
            # The folders exist, as in a real profile: with XDG_DATA_HOME missing, .NET's LocalApplicationData is '' and
            # PSResourceGet would keep its repository list in PSResourceGet/ under the current folder.
            if ($name -ne 'PSModulePath') { $null = New-Item -ItemType Directory -Path $profileEnvironment[$name] -Force }
            $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
            [System.Environment]::SetEnvironmentVariable($name, $profileEnvironment[$name])
        }
        try {
            # As the README has them (the folder is $HOME/Downloads/MessagingTools there too).
            $install = Invoke-ChildPowerShell -Script @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-Location -LiteralPath $HOME
Register-PSResourceRepository -Name MessagingToolsLocal -Uri "$HOME/Downloads/MessagingTools" -Trusted
Install-PSResource MessagingTools -Repository MessagingToolsLocal
'@
            $install.ExitCode | Should -Be 0 -Because ($install.Lines -join "`n")
            $result = Invoke-InstalledModuleScript -ModulePath (Join-Path $TestDrive 'nothing-here') -Script @'
Import-Module -Name MessagingTools
$module = Get-Module -Name MessagingTools
$sent = Send-BaleMessage -PhoneNumber 09123456780 -Text 'installed for the current user' -BotId 123 -ApiKey $key -Endpoint $endpoint
[System.IO.File]::WriteAllText($resultFile, (ConvertTo-Json -InputObject ([pscustomobject]@{ ModuleBase = $module.ModuleBase; PhoneNumber = [string]$sent.PhoneNumber })))
'@
        }
        finally {
            foreach ($name in @($saved.Keys)) { [System.Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $result.ModuleBase | Should -Be (Join-Path $profileRoot (Join-Path '.local/share/powershell/Modules/MessagingTools' $Version))
        @(Get-SandboxBaleDelivery $Sandbox | ForEach-Object { [string]$_.text }) | Should -Be 'installed for the current user'
        # The repository was registered in that profile only.
        (Join-Path $profileRoot '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -FileContentMatch 'MessagingToolsLocal'
        (@(Get-PSResourceRepository | ForEach-Object { $_.Name } | Sort-Object) -join ',') | Should -Be $repositoriesBefore
    }
}
