#!/usr/bin/env pwsh
#Requires -Version 5.1
<#
.SYNOPSIS
Builds, tests, demonstrates and packages the MessagingTools module.

.DESCRIPTION
Tasks:
  Build    dotnet publish src/MessagingTools to output/MessagingTools/<ModuleVersion>/, check that
           System.Management.Automation.dll was left out, and import the result in a new PowerShell process.
  Test     Every test: dotnet test MessagingTools.sln (xunit), then the Pester task, even when xunit failed; ends
           with one line "N passed, N failed" that adds up both layers, and fails when anything failed.
  Pester   Build, make the .nupkg as Package does (when PSResourceGet is there), restore Pester 5.9.1 from NuGet into
           output/tools, run tests/*.Tests.ps1 (or -TestPath) in a new PowerShell process.
  Demo     Build, start the sandbox, send samples/contacts.csv and samples/hello.txt through it, stop the sandbox.
  Docs     Regenerate every file written from the cmdlets' code and doc comments with tests/MessagingTools.Docs: the
           MAML help (src/MessagingTools/en-US/MessagingTools.dll-Help.xml), the generated sections of
           about_MessagingTools, docs/<Cmdlet>.md (around their hand-written parts) and docs/README.md. Run it after
           changing a cmdlet; the xunit drift tests fail until it has run, and a second run changes nothing.
  Package  Build, then pack the module into output/MessagingTools.<ModuleVersion>.nupkg with PSResourceGet
           (Compress-PSResource; PowerShell 7.4+ ships it, Windows PowerShell 5.1 needs it installed), the package that
           Install-PSResource installs and a gallery accepts; and zip it into output/MessagingTools-<ModuleVersion>.zip.

Needs only the .NET SDK of global.json and a PowerShell to run this script: on a machine without one, the
PowerShell .NET tool pinned in .config/dotnet-tools.json:
  dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
Pester comes from NuGet (tests/Tools/Tools.csproj), never from the PowerShell Gallery, and is imported by path.

Runs on Windows PowerShell 5.1 and PowerShell 7 (no ternary, ??, && or other 7-only syntax). Every native
command's exit code is checked. ModuleVersion comes from MessagingTools.psd1 (Directory.Build.props reads the
same file for the assembly version).

.EXAMPLE
./build.ps1
./build.ps1 -Task Test -Configuration Debug
./build.ps1 -Task Demo
./build.ps1 -Task Docs
./build.ps1 -Task Pester -TestPath tests/Pipeline.Tests.ps1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Docs', 'Package')]
    [string]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',

    # Pester task only: the test files to run (wildcards allowed), instead of every tests/*.Tests.ps1.
    [string[]]$TestPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Plain text for a log (CI, a redirected run): PowerShell 7 would otherwise colour tables with ANSI escapes.
if ([Console]::IsOutputRedirected -and $PSVersionTable.PSEdition -eq 'Core') { $PSStyle.OutputRendering = 'PlainText' }

$RepoRoot = $PSScriptRoot
$ModuleName = 'MessagingTools'
$SourceManifest = Join-Path $RepoRoot 'MessagingTools.psd1'
$ModuleVersion = [string](Import-PowerShellDataFile -LiteralPath $SourceManifest).ModuleVersion
$OutputRoot = Join-Path $RepoRoot 'output'
$ModuleOutput = Join-Path $OutputRoot (Join-Path $ModuleName $ModuleVersion)
$BuiltManifest = Join-Path $ModuleOutput 'MessagingTools.psd1'
$ModuleProject = Join-Path $RepoRoot 'src/MessagingTools/MessagingTools.csproj'
$SandboxProject = Join-Path $RepoRoot 'tests/MessagingTools.Sandbox/MessagingTools.Sandbox.csproj'
$DocsProject = Join-Path $RepoRoot 'tests/MessagingTools.Docs/MessagingTools.Docs.csproj'
$Solution = Join-Path $RepoRoot 'MessagingTools.sln'
$ToolsProject = Join-Path $RepoRoot 'tests/Tools/Tools.csproj'
$ToolsFolder = Join-Path $OutputRoot 'tools'
$PesterVersion = '5.9.1'
$TestResultsFolder = Join-Path $OutputRoot 'test-results'

# The test helpers (sandbox process, this PowerShell's executable, quoting for child scripts) serve the build too.
Import-Module -Name (Join-Path $RepoRoot 'tests/Sandbox.psm1') -Force
# Child processes run the same edition as this script: pwsh (a normal install or the .NET tool) or powershell.exe.
$PowerShellExe = Get-PowerShellExecutable

function Write-Step {
    param([Parameter(Mandatory = $true)] [string]$Message)
    Write-Host ''
    Write-Host "=== $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    <# Runs a native command, shows its output, and throws when its exit code is not 0. #>
    param(
        [Parameter(Mandatory = $true)] [string]$FilePath,
        [string[]]$ArgumentList = @()
    )
    Write-Host ("> {0} {1}" -f $FilePath, ($ArgumentList -join ' ')) -ForegroundColor DarkGray
    & $FilePath @ArgumentList | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw ("'{0} {1}' failed with exit code {2}." -f $FilePath, ($ArgumentList -join ' '), $LASTEXITCODE)
    }
}

function Invoke-PowerShellProcess {
    <#
    Runs a script in a new process of this PowerShell (Invoke-ChildPowerShell of tests/Sandbox.psm1) and returns its
    output lines; throws on a non-zero exit code. A new process also keeps MessagingTools.dll out of this session, so
    that the next build can overwrite it (Windows locks a loaded dll).
    #>
    param(
        [Parameter(Mandatory = $true)] [string]$Script,
        [Parameter(Mandatory = $true)] [string]$What
    )
    $child = Invoke-ChildPowerShell -Script $Script
    if ($child.ExitCode -ne 0) {
        $child.Lines | Out-Host
        throw "$What failed in a child PowerShell process (exit code $($child.ExitCode))."
    }
    return $child.Lines
}

function Invoke-ModuleBuild {
    Write-Step "Build $ModuleName $ModuleVersion ($Configuration) -> $ModuleOutput"
    if (Test-Path -LiteralPath $ModuleOutput) {
        # A clean folder, so that no file of an earlier build (or an earlier layout) ships.
        try {
            Remove-Item -LiteralPath $ModuleOutput -Recurse -Force
        }
        catch {
            throw "Cannot clean $ModuleOutput (on Windows a PowerShell session that imported the module locks its dll; close it): $($_.Exception.Message)"
        }
    }
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('publish', $ModuleProject, '-c', $Configuration, '-o', $ModuleOutput, '--nologo')

    # PowerShell provides System.Management.Automation; a copy in the module folder would shadow it (or fail to load).
    $sma = @(Get-ChildItem -LiteralPath $ModuleOutput -Recurse -File | Where-Object { $_.Name -eq 'System.Management.Automation.dll' })
    if ($sma.Count -gt 0) {
        throw "System.Management.Automation.dll must not ship with the module, but the build output has $($sma[0].FullName)."
    }
    if (-not (Test-Path -LiteralPath $BuiltManifest)) {
        throw "The build output has no manifest: $BuiltManifest is missing."
    }

    Write-Step 'Import the built module in a new PowerShell process'
    $script = @"
`$ErrorActionPreference = 'Stop'
`$module = Import-Module -Name $(ConvertTo-SingleQuoted $BuiltManifest) -PassThru
'Version ' + `$module.Version
foreach (`$name in (`$module.ExportedCommands.Keys | Sort-Object)) { 'Command ' + `$name }
"@
    $lines = @(Invoke-PowerShellProcess -Script $script -What 'Importing the built module')
    $lines | ForEach-Object { Write-Host "  $_" }

    $exported = @($lines | Where-Object { $_ -like 'Command *' } | ForEach-Object { $_.Substring('Command '.Length) })
    $expected = @((Import-PowerShellDataFile -LiteralPath $SourceManifest).CmdletsToExport)
    $missing = @($expected | Where-Object { $exported -notcontains $_ })
    if ($exported.Count -eq 0 -or $missing.Count -gt 0) {
        throw ("The built module does not export every cmdlet of CmdletsToExport; missing: {0}." -f ($missing -join ', '))
    }
    if (-not ($lines -contains "Version $ModuleVersion")) {
        throw "The imported module is not version $ModuleVersion."
    }
}

function Format-FailedTest {
    <# One line for the summary: the failed test's name and the first line of its message, cut to fit a log line. #>
    param([string]$Name, [string]$Message)
    $line = ''
    if ($Message) { $line = ($Message.Trim() -split '\r?\n')[0] }
    if ($line.Length -gt 160) { $line = $line.Substring(0, 157) + '...' }
    if ($line) { return "$Name`n      $line" }
    return $Name
}

function Read-TrxCounts {
    <# Adds up the <Counters> of the .trx files under a folder (one per test project). #>
    param([Parameter(Mandatory = $true)] [string]$Folder)
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Files = 0; FailedNames = @() }
    $names = New-Object System.Collections.Generic.List[string]
    foreach ($file in @(Get-ChildItem -LiteralPath $Folder -Filter '*.trx' -File -Recurse -ErrorAction SilentlyContinue)) {
        $xml = New-Object System.Xml.XmlDocument
        $xml.Load($file.FullName)
        $counters = $xml.GetElementsByTagName('Counters') | Select-Object -First 1
        if ($null -eq $counters) { continue }
        $counts.Files++
        $counts.Passed += [int]$counters.GetAttribute('passed')
        $counts.Failed += [int]$counters.GetAttribute('failed') + [int]$counters.GetAttribute('error') + [int]$counters.GetAttribute('timeout') + [int]$counters.GetAttribute('aborted')
        $counts.Skipped += [int]$counters.GetAttribute('notExecuted')
        foreach ($result in $xml.GetElementsByTagName('UnitTestResult')) {
            if ($result.GetAttribute('outcome') -notin @('Passed', 'NotExecuted')) {
                $message = $result.GetElementsByTagName('Message') | Select-Object -First 1
                $names.Add((Format-FailedTest -Name $result.GetAttribute('testName') -Message $(if ($message) { $message.InnerText })))
            }
        }
    }
    $counts.FailedNames = $names.ToArray()
    return [pscustomobject]$counts
}

function Invoke-DotnetTest {
    <# Runs the xunit projects; returns their counts (Passed, Failed, Skipped, ExitCode) instead of throwing. #>
    Write-Step "dotnet test ($Configuration): xunit"
    $resultsFolder = Join-Path $TestResultsFolder 'xunit'
    if (Test-Path -LiteralPath $resultsFolder) { Remove-Item -LiteralPath $resultsFolder -Recurse -Force }
    $arguments = @('test', $Solution, '-c', $Configuration, '--nologo', '--logger', 'trx', '--results-directory', $resultsFolder)
    Write-Host ("> dotnet {0}" -f ($arguments -join ' ')) -ForegroundColor DarkGray
    & dotnet @arguments | Out-Host
    $exitCode = $LASTEXITCODE
    $counts = Read-TrxCounts -Folder $resultsFolder
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        # A build error or a crashed test host fails the run without a failed test to count: count it as one.
        Write-Host "dotnet test exited with code $exitCode without a failed test in its results: counted as 1 failed." -ForegroundColor Red
        $counts.Failed = 1
    }
    return $counts
}

function Get-PesterModulePath {
    <#
    Restores Pester from NuGet (tests/Tools/Tools.csproj: a PackageDownload, never the PowerShell Gallery) into
    output/tools and returns the path of its manifest, which the tests import by path.
    #>
    $manifest = Join-Path $ToolsFolder ("pester/{0}/tools/Pester.psd1" -f $PesterVersion)
    if (-not (Test-Path -LiteralPath $manifest)) {
        Write-Step "Restore Pester $PesterVersion from NuGet into $ToolsFolder"
        Invoke-Native -FilePath 'dotnet' -ArgumentList @('restore', $ToolsProject, '--packages', $ToolsFolder, '--nologo')
        if (-not (Test-Path -LiteralPath $manifest)) { throw "Restoring $ToolsProject did not produce $manifest." }
    }
    return $manifest
}

function Invoke-PesterTests {
    <# Runs tests/*.Tests.ps1 in a new PowerShell process; returns the counts (Passed, Failed, Skipped). #>
    Invoke-ModuleBuild
    # tests/Package.Tests.ps1 installs the package that the Package task makes: make it now, so that it is current.
    if (Test-PSResourceGet) {
        $null = New-ModulePackage
    }
    else {
        Write-Warning ("No .nupkg made: this PowerShell has no Microsoft.PowerShell.PSResourceGet (it comes with PowerShell 7.4+), " +
            'so the tests of tests/Package.Tests.ps1 are skipped.')
    }
    # The tests start the sandbox from its build output (tests/Sandbox.psm1): build it now, so that it is current.
    Write-Step "Build the sandbox ($Configuration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $SandboxProject, '-c', $Configuration, '--nologo')
    $pester = Get-PesterModulePath
    Write-Step "Pester $PesterVersion`: tests/*.Tests.ps1 in a new PowerShell process ($PowerShellExe)"
    if ($TestPath) {
        # From a shell (pwsh -File build.ps1 -TestPath a,b) the list arrives as one text: split it at its commas.
        $paths = @($TestPath | ForEach-Object { $_ -split ',' } | Where-Object { $_.Trim() } | ForEach-Object { $_.Trim() })
        $testFiles = @(Get-ChildItem -Path $paths -File | ForEach-Object { $_.FullName })
    }
    else {
        $testFiles = @(Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'tests') -Filter '*.Tests.ps1' -File | ForEach-Object { $_.FullName })
    }
    if ($testFiles.Count -eq 0) { throw 'No tests/*.Tests.ps1 files were found.' }
    $null = New-Item -ItemType Directory -Path $TestResultsFolder -Force
    $resultFile = Join-Path $TestResultsFolder 'pester-results.xml'
    $countsFile = Join-Path $TestResultsFolder 'pester-counts.json'
    if (Test-Path -LiteralPath $countsFile) { Remove-Item -LiteralPath $countsFile -Force }
    $pathList = ($testFiles | ForEach-Object { ConvertTo-SingleQuoted $_ }) -join ', '
    # Colours for a console; plain text for a log (CI), where ANSI escapes would only clutter it.
    $renderMode = 'Auto'
    if ([Console]::IsOutputRedirected) { $renderMode = 'Plaintext' }

    # A new process keeps this session free of the module's dll. The sandbox configuration follows -Configuration.
    # Failed blocks and containers (a BeforeAll that threw) count as failures: their tests did not run.
    # ($ErrorActionPreference stays at its default here: the tests expect non-terminating errors to stay so.)
    $script = @"
Import-Module -Name $(ConvertTo-SingleQuoted $pester) -Force -ErrorAction Stop
`$env:MESSAGINGTOOLS_TEST_CONFIGURATION = $(ConvertTo-SingleQuoted $Configuration)
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = @($pathList)
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.Output.RenderMode = '$renderMode'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputFormat = 'NUnitXml'
`$configuration.TestResult.OutputPath = $(ConvertTo-SingleQuoted $resultFile)
`$result = Invoke-Pester -Configuration `$configuration
`$failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount
# The names of what failed, with the first line of each error: the summary repeats them at the end of the run,
# where a log cut to its tail still shows them.
`$failedNames = @(@(`$result.Failed) + @(`$result.FailedBlocks) + @(`$result.FailedContainers) | Where-Object { `$null -ne `$_ } | ForEach-Object {
    `$name = if (`$_.PSObject.Properties['ExpandedPath']) { `$_.ExpandedPath } elseif (`$_.PSObject.Properties['Item']) { [string]`$_.Item } else { [string]`$_ }
    if (`$_.PSObject.Properties['ScriptBlock'] -and `$_.ScriptBlock -and `$_.ScriptBlock.File) { `$name = '{0}: {1}' -f [IO.Path]::GetFileName(`$_.ScriptBlock.File), `$name }
    `$message = ''
    if (`$_.ErrorRecord -and @(`$_.ErrorRecord).Count -gt 0) { `$message = [string]@(`$_.ErrorRecord)[0].Exception.Message }
    [pscustomobject]@{ Name = `$name; Message = `$message }
})
ConvertTo-Json -Depth 3 -InputObject @{ Passed = `$result.PassedCount; Failed = `$failed; Skipped = `$result.SkippedCount; FailedTests = `$failedNames } |
    Set-Content -LiteralPath $(ConvertTo-SingleQuoted $countsFile) -Encoding UTF8
if (`$failed -gt 0) { exit 1 }
exit 0
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    & $PowerShellExe -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded | Out-Host
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $countsFile)) {
        throw "Pester did not finish (exit code $exitCode): $countsFile was not written."
    }
    $counts = Get-Content -LiteralPath $countsFile -Raw | ConvertFrom-Json
    if ($exitCode -ne 0 -and [int]$counts.Failed -eq 0) { $counts.Failed = 1 }
    $names = @(@($counts.FailedTests) | Where-Object { $null -ne $_ } | ForEach-Object { Format-FailedTest -Name $_.Name -Message $_.Message })
    return [pscustomobject]@{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped; FailedNames = $names }
}

function Invoke-AllTests {
    <#
    xunit, then Pester even when xunit failed, so that one run shows every failure. Ends with one line that adds up
    both layers ("N passed, N failed, N skipped"): the last line of the run, which CI reads as its count. Returns
    the exit code of the run (0 when every test of both layers passed and each layer ran at least one).
    #>
    $xunit = Invoke-DotnetTest
    $pester = Invoke-PesterTests
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Step 'Test summary'
    Write-Host ("  xunit (dotnet test)   {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("  Pester                {0} passed, {1} failed, {2} skipped" -f $pester.Passed, $pester.Failed, $pester.Skipped)
    $exitCode = 0
    if ($failed -gt 0) {
        foreach ($layer in @(@{ Name = 'xunit'; Counts = $xunit }, @{ Name = 'Pester'; Counts = $pester })) {
            foreach ($name in @($layer.Counts.FailedNames)) {
                if ($name) { Write-Host ("  failed ({0}): {1}" -f $layer.Name, $name) -ForegroundColor Red }
            }
        }
        Write-Host "  FAILED: $failed test(s) failed." -ForegroundColor Red
        $exitCode = 1
    }
    if ($xunit.Passed -eq 0 -or $pester.Passed -eq 0) {
        Write-Host '  FAILED: a test layer ran no test.' -ForegroundColor Red
        $exitCode = 1
    }
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    return $exitCode
}

function Invoke-Demo {
    Invoke-ModuleBuild
    Write-Step "Build the sandbox ($Configuration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $SandboxProject, '-c', $Configuration, '--nologo')
    Write-Step 'Start the sandbox on 127.0.0.1 (tests/Sandbox.psm1: Start-TestSandbox)'
    $sandbox = Start-TestSandbox -Configuration $Configuration
    try {
        $endpoint = $sandbox.BaleEndpoint
        Write-Host "Sandbox ready: Bale endpoint $endpoint"

        Import-Module -Name $BuiltManifest -Force
        $bale = @{ BotId = 123; ApiKey = $sandbox.BaleApiKey; Endpoint = $endpoint }

        Write-Step 'Import-Csv samples/contacts.csv | Send-BaleMessage'
        $csv = Join-Path $RepoRoot 'samples/contacts.csv'
        Import-Csv -LiteralPath $csv -Encoding UTF8 | Format-Table -AutoSize | Out-Host
        $sendErrors = $null
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 |
            Send-BaleMessage @bale -ErrorAction SilentlyContinue -ErrorVariable sendErrors)
        Write-Host "$($results.Count) messages sent:"
        $results | Format-Table | Out-Host
        Write-Host "$(@($sendErrors).Count) error(s), each with the row it belongs to:" -ForegroundColor Yellow
        foreach ($errorRecord in @($sendErrors)) {
            $message = $errorRecord.Exception.Message
            if ($errorRecord.ErrorDetails) { $message = $errorRecord.ErrorDetails.Message }
            Write-Host "  $message" -ForegroundColor Yellow
            Write-Host "  ErrorId: $($errorRecord.FullyQualifiedErrorId)" -ForegroundColor Yellow
            Write-Host '  Row:' -ForegroundColor Yellow
            $errorRecord.TargetObject | Format-List | Out-Host
        }

        Write-Step 'Publish-BaleFile samples/hello.txt | Send-BaleMessage'
        $file = Publish-BaleFile -Path (Join-Path $RepoRoot 'samples/hello.txt') -ApiKey $sandbox.BaleApiKey -Endpoint $endpoint
        $file | Format-Table | Out-Host
        $fileMessage = $file | Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'hello.txt from the MessagingTools demo' @bale
        $fileMessage | Format-Table | Out-Host

        Write-Step 'What the sandbox delivered'
        Get-SandboxBaleDelivery -Sandbox $sandbox | Format-Table phoneNumber, text, fileId, isSecure -AutoSize | Out-Host
    }
    finally {
        Write-Step 'Stop the sandbox'
        Stop-TestSandbox -Sandbox $sandbox
    }
}

function Invoke-Docs {
    <#
    Regenerates the MAML help, the about topic's generated sections and the cmdlet reference in docs/ with
    tests/MessagingTools.Docs, which writes only the files that differ and names them.
    #>
    Write-Step 'Regenerate the help and the cmdlet reference (tests/MessagingTools.Docs)'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('run', '--project', $DocsProject, '-c', $Configuration, '--', '--root', $RepoRoot)
}

function Test-PSResourceGet {
    <# Whether this PowerShell has PSResourceGet: PowerShell 7.4+ ships it; Windows PowerShell 5.1 only once installed. #>
    return ($null -ne (Get-Module -ListAvailable -Name 'Microsoft.PowerShell.PSResourceGet' | Select-Object -First 1))
}

function New-ModulePackage {
    <#
    Packs the built module folder into output/MessagingTools.<version>.nupkg, the package PSResourceGet installs
    (Install-PSResource, Save-PSResource) and a gallery accepts, with PSResourceGet itself in a new PowerShell process:
    Compress-PSResource (PSResourceGet 1.1+, PowerShell 7.5+), or with PSResourceGet 1.0 (PowerShell 7.4), which has no
    Compress-PSResource, Publish-PSResource into a temporary local repository. Returns the path of the package.
    #>
    $nupkg = Join-Path $OutputRoot ("{0}.{1}.nupkg" -f $ModuleName, $ModuleVersion)
    Write-Step "Package (PSResourceGet) -> $nupkg"
    if (-not (Test-PSResourceGet)) {
        throw ("The Package task needs the module Microsoft.PowerShell.PSResourceGet to make the .nupkg, and this PowerShell " +
            "($($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion)) does not have it. It comes with PowerShell 7.4 and later: " +
            "run 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Package', or install it into Windows PowerShell with " +
            "'Install-Module Microsoft.PowerShell.PSResourceGet'.")
    }
    # PSResourceGet finds the manifest by the name of the folder it packs: stage the module as MessagingTools/.
    $staging = Join-Path $OutputRoot 'package'
    if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
    $stagedModule = Join-Path $staging $ModuleName
    $null = New-Item -ItemType Directory -Path $stagedModule -Force
    Copy-Item -Path (Join-Path $ModuleOutput '*') -Destination $stagedModule -Recurse -Force
    if (Test-Path -LiteralPath $nupkg) { Remove-Item -LiteralPath $nupkg -Force }

    $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module -Name Microsoft.PowerShell.PSResourceGet
if (Get-Command -Name Compress-PSResource -Module Microsoft.PowerShell.PSResourceGet -ErrorAction SilentlyContinue) {
    Compress-PSResource -Path $(ConvertTo-SingleQuoted $stagedModule) -DestinationPath $(ConvertTo-SingleQuoted $OutputRoot)
}
else {
    `$folder = Join-Path $(ConvertTo-SingleQuoted $staging) 'repository'
    `$name = 'MessagingToolsBuild-' + [guid]::NewGuid().ToString('N')
    `$null = New-Item -ItemType Directory -Path `$folder
    Register-PSResourceRepository -Name `$name -Uri `$folder -Trusted
    try {
        Publish-PSResource -Path $(ConvertTo-SingleQuoted $stagedModule) -Repository `$name
        Move-Item -LiteralPath (Join-Path `$folder $(ConvertTo-SingleQuoted (Split-Path -Leaf $nupkg))) -Destination $(ConvertTo-SingleQuoted $nupkg)
    }
    finally {
        Unregister-PSResourceRepository -Name `$name
    }
}
"@
    $null = Invoke-PowerShellProcess -Script $script -What 'Packing the module with PSResourceGet'
    Remove-Item -LiteralPath $staging -Recurse -Force
    if (-not (Test-Path -LiteralPath $nupkg)) {
        throw "PSResourceGet did not make $nupkg."
    }
    Write-Host "Created $nupkg ($((Get-Item -LiteralPath $nupkg).Length) bytes)"
    return $nupkg
}

function Invoke-Package {
    Invoke-ModuleBuild
    $null = New-ModulePackage

    $zip = Join-Path $OutputRoot ("{0}-{1}.zip" -f $ModuleName, $ModuleVersion)
    Write-Step "Zip -> $zip"
    # Stage MessagingTools/<version>/ alone, so that the zip holds exactly this version in the layout
    # PowerShell expects under a Modules folder.
    $staging = Join-Path $OutputRoot 'package'
    if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
    $stagedVersion = Join-Path $staging (Join-Path $ModuleName $ModuleVersion)
    $null = New-Item -ItemType Directory -Path $stagedVersion -Force
    Copy-Item -Path (Join-Path $ModuleOutput '*') -Destination $stagedVersion -Recurse -Force
    if (Test-Path -LiteralPath $zip) { Remove-Item -LiteralPath $zip -Force }
    Compress-Archive -Path (Join-Path $staging $ModuleName) -DestinationPath $zip
    Remove-Item -LiteralPath $staging -Recurse -Force
    Write-Host "Created $zip ($((Get-Item -LiteralPath $zip).Length) bytes)"
}

$exitCode = 0
Push-Location -LiteralPath $RepoRoot
try {
    switch ($Task) {
        'Build' { Invoke-ModuleBuild }
        'Test' { $exitCode = Invoke-AllTests }
        'Pester' {
            $counts = Invoke-PesterTests
            foreach ($name in @($counts.FailedNames)) {
                if ($name) { Write-Host "  failed (Pester): $name" -ForegroundColor Red }
            }
            if ($counts.Failed -gt 0) { throw "Pester: $($counts.Failed) test(s) failed." }
        }
        'Demo' { Invoke-Demo }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
    }
}
finally {
    Pop-Location
}
exit $exitCode
