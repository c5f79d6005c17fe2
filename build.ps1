#Requires -Version 5.1
<#
.SYNOPSIS
Builds, tests, demonstrates and packages the MessagingTools module.

.DESCRIPTION
Tasks:
  Build    dotnet publish src/MessagingTools to output/MessagingTools/<ModuleVersion>/, check that
           System.Management.Automation.dll was left out, and import the result in a new PowerShell process.
  Test     dotnet test MessagingTools.sln, then the Pester task.
  Pester   Build, install Pester 5.5+ when missing, run tests/*.Tests.ps1 in a new PowerShell process.
  Demo     Build, start the sandbox, send samples/contacts.csv and samples/hello.txt through it, stop the sandbox.
  Package  Build, then zip the module into output/MessagingTools-<ModuleVersion>.zip.

Runs on Windows PowerShell 5.1 and PowerShell 7 (no ternary, ??, && or other 7-only syntax). Every native
command's exit code is checked. ModuleVersion comes from MessagingTools.psd1 (Directory.Build.props reads the
same file for the assembly version).

.EXAMPLE
./build.ps1
./build.ps1 -Task Test -Configuration Debug
./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Package')]
    [string]$Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$ModuleName = 'MessagingTools'
$SourceManifest = Join-Path $RepoRoot 'MessagingTools.psd1'
$ModuleVersion = [string](Import-PowerShellDataFile -LiteralPath $SourceManifest).ModuleVersion
$OutputRoot = Join-Path $RepoRoot 'output'
$ModuleOutput = Join-Path $OutputRoot (Join-Path $ModuleName $ModuleVersion)
$BuiltManifest = Join-Path $ModuleOutput 'MessagingTools.psd1'
$ModuleProject = Join-Path $RepoRoot 'src/MessagingTools/MessagingTools.csproj'
$SandboxProject = Join-Path $RepoRoot 'tests/MessagingTools.Sandbox/MessagingTools.Sandbox.csproj'
$Solution = Join-Path $RepoRoot 'MessagingTools.sln'
# The PowerShell running this script (pwsh or powershell.exe): child processes use the same edition.
$PowerShellExe = (Get-Process -Id $PID).Path

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
    Runs a script in a new process of this PowerShell and returns its output lines; throws on a non-zero exit code.
    The script goes through -EncodedCommand (base64 of UTF-16LE), which sidesteps the quoting of native command
    lines on both editions. A new process also keeps MessagingTools.dll out of this session, so that the next
    build can overwrite it (Windows locks a loaded dll).
    #>
    param(
        [Parameter(Mandatory = $true)] [string]$Script,
        [Parameter(Mandatory = $true)] [string]$What
    )
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    $lines = & $PowerShellExe -NoProfile -NonInteractive -EncodedCommand $encoded
    $exitCode = $LASTEXITCODE
    if ($exitCode -ne 0) {
        $lines | Out-Host
        throw "$What failed in a child PowerShell process (exit code $exitCode)."
    }
    return $lines
}

function ConvertTo-SingleQuoted {
    <# A PowerShell single-quoted string literal for a value (for scripts run in child processes). #>
    param([Parameter(Mandatory = $true)] [AllowEmptyString()] [string]$Value)
    return "'" + $Value.Replace("'", "''") + "'"
}

function Get-FreeTcpPort {
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback, 0)
    try {
        $listener.Start()
        return ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function Stop-ProcessTree {
    <# Stops a process and its children: `dotnet run` starts the sandbox as a child process. #>
    param([System.Diagnostics.Process]$Process)
    if ($null -eq $Process) { return }
    try {
        if ($Process.HasExited) { return }
        $kill = $Process.PSObject.Methods['Kill']
        if (@($kill.OverloadDefinitions) -match 'entireProcessTree') {
            $Process.Kill($true)                         # .NET Core 3.0+ (PowerShell 7)
        }
        elseif ($env:OS -eq 'Windows_NT') {
            & taskkill.exe /PID $Process.Id /T /F | Out-Null   # Windows PowerShell 5.1: no Kill(bool)
            if ($LASTEXITCODE -ne 0) { Write-Warning "taskkill /PID $($Process.Id) exited with code $LASTEXITCODE." }
        }
        else {
            $Process.Kill()
        }
        $null = $Process.WaitForExit(10000)
    }
    catch {
        Write-Warning "Could not stop process $($Process.Id): $($_.Exception.Message)"
    }
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

function Invoke-DotnetTest {
    Write-Step "dotnet test ($Configuration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $Solution, '-c', $Configuration, '--nologo')
}

function Install-PesterIfMissing {
    $found = @(Get-Module -Name Pester -ListAvailable | Where-Object { $_.Version -ge [version]'5.5.0' })
    if ($found.Count -gt 0) { return }
    Write-Step 'Install Pester 5.5+ for the current user'
    if ($PSVersionTable.PSEdition -ne 'Core') {
        # Windows PowerShell 5.1 may default to TLS 1.0; the PowerShell Gallery requires TLS 1.2.
        [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    }
    # -SkipPublisherCheck: Windows ships Pester 3.4 signed by another certificate, which blocks the upgrade otherwise.
    Install-Module -Name Pester -MinimumVersion 5.5.0 -Scope CurrentUser -Force -SkipPublisherCheck
}

function Invoke-PesterTests {
    Invoke-ModuleBuild
    # The tests start the sandbox from its build output (tests/Sandbox.psm1): build it now, so that it is current.
    Write-Step "Build the sandbox ($Configuration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $SandboxProject, '-c', $Configuration, '--nologo')
    Install-PesterIfMissing
    Write-Step 'Pester: tests/*.Tests.ps1 (in a new PowerShell process)'
    $testFiles = @(Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'tests') -Filter '*.Tests.ps1' -File | ForEach-Object { $_.FullName })
    if ($testFiles.Count -eq 0) { throw 'No tests/*.Tests.ps1 files were found.' }
    $resultFile = Join-Path $OutputRoot 'pester-results.xml'
    $pathList = ($testFiles | ForEach-Object { ConvertTo-SingleQuoted $_ }) -join ', '

    # Run.Exit: the child process exits with a non-zero code when any test fails (checked below); a new process
    # keeps this session free of the module's dll. The sandbox configuration follows -Configuration.
    # ($ErrorActionPreference stays at its default here: the tests expect non-terminating errors to stay so.)
    $script = @"
Import-Module -Name Pester -MinimumVersion 5.5.0 -ErrorAction Stop
`$env:MESSAGINGTOOLS_TEST_CONFIGURATION = $(ConvertTo-SingleQuoted $Configuration)
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = @($pathList)
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$configuration.TestResult.Enabled = `$true
`$configuration.TestResult.OutputFormat = 'NUnitXml'
`$configuration.TestResult.OutputPath = $(ConvertTo-SingleQuoted $resultFile)
Invoke-Pester -Configuration `$configuration
"@
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    & $PowerShellExe -NoProfile -NonInteractive -EncodedCommand $encoded | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported failures (exit code $LASTEXITCODE); results in $resultFile."
    }
}

function Invoke-Demo {
    Invoke-ModuleBuild
    $port = Get-FreeTcpPort
    $base = "http://127.0.0.1:$port/"
    $endpoint = $base + 'bale/api/v3/'
    $apiKey = 'sandbox-bale-key'   # BaleSandbox.DefaultApiKey
    $null = New-Item -ItemType Directory -Path $OutputRoot -Force
    $outLog = Join-Path $OutputRoot 'sandbox.out.log'
    $errLog = Join-Path $OutputRoot 'sandbox.err.log'

    Write-Step "Start the sandbox on $base (dotnet run)"
    # Start-Process joins ArgumentList with spaces on both editions: quote the project path ourselves.
    $arguments = @('run', '--project', ('"{0}"' -f $SandboxProject), '-c', $Configuration, '--', '--port', [string]$port)
    $sandbox = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $outLog -RedirectStandardError $errLog
    try {
        $deadline = [DateTime]::UtcNow.AddMinutes(3)   # dotnet run builds the sandbox first
        while ($true) {
            try {
                $null = Invoke-RestMethod -Method Get -Uri ($base + '_sandbox/requests') -TimeoutSec 5
                break
            }
            catch {
                if ($sandbox.HasExited) {
                    throw "The sandbox exited with code $($sandbox.ExitCode); see $outLog and $errLog."
                }
                if ([DateTime]::UtcNow -gt $deadline) { throw "The sandbox did not answer on $base within 3 minutes; see $outLog." }
                Start-Sleep -Milliseconds 500
            }
        }
        Write-Host "Sandbox ready: Bale endpoint $endpoint"

        Import-Module -Name $BuiltManifest -Force
        $bale = @{ BotId = 123; ApiKey = $apiKey; Endpoint = $endpoint }

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
        $file = Publish-BaleFile -Path (Join-Path $RepoRoot 'samples/hello.txt') -ApiKey $apiKey -Endpoint $endpoint
        $file | Format-Table | Out-Host
        $fileMessage = $file | Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'hello.txt from the MessagingTools demo' @bale
        $fileMessage | Format-Table | Out-Host

        Write-Step 'What the sandbox delivered'
        $deliveries = Invoke-RestMethod -Method Get -Uri ($base + '_sandbox/bale/deliveries') -TimeoutSec 10
        @($deliveries) | ForEach-Object { $_ } | Format-Table phoneNumber, text, fileId, isSecure -AutoSize | Out-Host
    }
    finally {
        Write-Step 'Stop the sandbox'
        Stop-ProcessTree -Process $sandbox
    }
}

function Invoke-Package {
    Invoke-ModuleBuild
    $zip = Join-Path $OutputRoot ("{0}-{1}.zip" -f $ModuleName, $ModuleVersion)
    Write-Step "Package -> $zip"
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

Push-Location -LiteralPath $RepoRoot
try {
    switch ($Task) {
        'Build' { Invoke-ModuleBuild }
        'Test' { Invoke-DotnetTest; Invoke-PesterTests }
        'Pester' { Invoke-PesterTests }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
    }
}
finally {
    Pop-Location
}
