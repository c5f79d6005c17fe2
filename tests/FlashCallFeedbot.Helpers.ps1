# Shared by Send-FlashCall.Tests.ps1, Send-FeedbotMessage.Tests.ps1 and Get-FeedbotStatus.Tests.ps1 (dot-source it in
# BeforeAll). Starts the sandbox (tests/MessagingTools.Sandbox) as a separate process on a free port, imports the
# module built by ./build.ps1 -Task Build (output/MessagingTools/<version>/MessagingTools.psd1) and calls the
# sandbox's control API. Windows PowerShell 5.1 and PowerShell 7 alike: no ternary, no ??, no &&.
# $PSScriptRoot inside these functions is this file's folder (tests), wherever they are called from.
# Control commands used (SandboxServer.cs, Providers/FlashCallSandbox.cs, Providers/FeedbotSandbox.cs):
#   POST /_sandbox/reset, POST /_sandbox/faults, GET /_sandbox/requests,
#   GET /_sandbox/flashcall/calls, GET /_sandbox/feedbot/queued, POST /_sandbox/feedbot/status-delay/<ms>

function Start-FcSandbox {
    $project = Join-Path (Split-Path -Parent $PSScriptRoot) 'tests/MessagingTools.Sandbox'
    $configuration = 'Release'
    if ($env:MESSAGINGTOOLS_TEST_CONFIGURATION) { $configuration = $env:MESSAGINGTOOLS_TEST_CONFIGURATION }
    $dll = Join-Path $project "bin/$configuration/net10.0/MessagingTools.Sandbox.dll"
    if (-not (Test-Path -LiteralPath $dll)) {
        & dotnet build (Join-Path $project 'MessagingTools.Sandbox.csproj') -c $configuration --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet build of the sandbox failed ($LASTEXITCODE)." }
    }
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    $listener.Stop()
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "messagingtools-fc-sandbox-$port"
    # The dll is started directly: `dotnet run` would leave the server running as a child after Stop-Process.
    $process = Start-Process -FilePath 'dotnet' -ArgumentList @(('"{0}"' -f $dll), '--port', [string]$port) -PassThru -NoNewWindow `
        -RedirectStandardOutput "$log.out.log" -RedirectStandardError "$log.err.log"
    $base = "http://127.0.0.1:$port/"
    $sandbox = [pscustomobject]@{
        BaseUri               = $base
        Process               = $process
        FlashCallEndpoint     = $base + 'flashcall/services/call/call/'
        FlashCallToken        = 'sandbox-flashcall-token'
        FeedbotEndpoint       = $base + 'feedbot/addnewmessages'
        FeedbotStatusEndpoint = $base + 'feedbot/getmessagestatus'
        FeedbotToken          = 'sandbox-feedbot-token'
    }
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while ($true) {
        try {
            $null = Invoke-RestMethod -Method Get -Uri ($base + '_sandbox/requests') -TimeoutSec 5 -ErrorAction Stop
            return $sandbox
        }
        catch {
            if ($process.HasExited) { throw "The sandbox exited with code $($process.ExitCode) before answering on $base." }
            if ([DateTime]::UtcNow -gt $deadline) { Stop-FcSandbox $sandbox; throw "The sandbox did not answer on $base." }
            Start-Sleep -Milliseconds 250
        }
    }
}

function Stop-FcSandbox {
    param($Sandbox)
    if ($null -eq $Sandbox -or $null -eq $Sandbox.Process) { return }
    try { if (-not $Sandbox.Process.HasExited) { $Sandbox.Process.Kill(); $null = $Sandbox.Process.WaitForExit(10000) } }
    catch { Write-Verbose $_.Exception.Message }
}

function Import-FcBuiltModule {
    $version = [string](Import-PowerShellDataFile -LiteralPath (Join-Path (Split-Path -Parent $PSScriptRoot) 'MessagingTools.psd1')).ModuleVersion
    $path = Join-Path (Split-Path -Parent $PSScriptRoot) "output/MessagingTools/$version/MessagingTools.psd1"
    if (-not (Test-Path -LiteralPath $path)) { throw "The module is not built: run ./build.ps1 -Task Build first ($path)." }
    Import-Module -Name $path -Global -Force -ErrorAction Stop
}

function Invoke-FcControl {
    param($Sandbox, [string]$Command, [string]$Method = 'POST', [hashtable]$Body)
    $parameters = @{ Method = $Method; Uri = $Sandbox.BaseUri + '_sandbox/' + $Command; TimeoutSec = 30; ErrorAction = 'Stop' }
    if ($Method -eq 'POST') {
        $json = '{}'
        if ($Body) { $json = ConvertTo-Json -InputObject $Body -Compress }
        $parameters['Body'] = [System.Text.Encoding]::UTF8.GetBytes($json)
        $parameters['ContentType'] = 'application/json; charset=utf-8'
    }
    $answer = Invoke-RestMethod @parameters
    # 5.1 writes a JSON array as one object, 7 enumerates it: enumerate in both.
    foreach ($item in @($answer)) { if ($null -ne $item) { $item } }
}

function Write-FcCsv {
    param([string]$Name, [string[]]$Lines)
    $path = Join-Path $TestDrive $Name
    Set-Content -LiteralPath $path -Value $Lines -Encoding UTF8
    return $path
}
