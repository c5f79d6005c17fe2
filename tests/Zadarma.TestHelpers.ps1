# Shared by the Zadarma Pester files: starts the sandbox on a free port, imports the built module and makes the
# sandbox credential. Dot-source it in BeforeAll; call Stop-ZadarmaSandbox in AfterAll.
# Needs: dotnet, and the module built with ./build.ps1 -Task Build (output/MessagingTools/<version>/).

$script:RepoRoot = Split-Path -Parent $PSScriptRoot

function Start-ZadarmaSandbox {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "zadarma-sandbox-$port.log"
    # Build once into a folder of our own and run the dll itself (not 'dotnet run', whose child process would
    # outlive Stop-Process on the parent and keep the port).
    $bin = Join-Path ([System.IO.Path]::GetTempPath()) 'messagingtools-sandbox'
    dotnet build (Join-Path $script:RepoRoot 'tests/MessagingTools.Sandbox') --nologo -v quiet -o $bin | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The sandbox did not build.' }
    $script:SandboxProcess = Start-Process -FilePath 'dotnet' -PassThru -NoNewWindow -RedirectStandardOutput $log `
        -ArgumentList @((Join-Path $bin 'MessagingTools.Sandbox.dll'), '--port', $port)
    $script:SandboxBase = "http://127.0.0.1:$port"
    $deadline = (Get-Date).AddSeconds(120)
    while ($true) {
        try {
            Invoke-RestMethod -Method Get -Uri "$script:SandboxBase/_sandbox/requests" | Out-Null
            break
        }
        catch {
            if ((Get-Date) -gt $deadline) { throw "The sandbox did not start within 120 s; see $log" }
            Start-Sleep -Milliseconds 500
        }
    }
    $script:ZadarmaEndpoint = "$script:SandboxBase/zadarma/"
    $secret = ConvertTo-SecureString 'sandbox-zadarma-secret' -AsPlainText -Force
    $script:ZadarmaCredential = [pscredential]::new('sandbox-zadarma-key', $secret)

    $manifest = Get-ChildItem (Join-Path $script:RepoRoot 'output/MessagingTools') -Directory |
        Sort-Object { [version]$_.Name } -Descending | Select-Object -First 1 |
        ForEach-Object { Join-Path $_.FullName 'MessagingTools.psd1' }
    if (-not $manifest -or -not (Test-Path $manifest)) { throw 'Build the module first: ./build.ps1 -Task Build' }
    Import-Module $manifest -Force
}

function Stop-ZadarmaSandbox {
    if ($script:SandboxProcess -and -not $script:SandboxProcess.HasExited) {
        # The sandbox process we started, by its id.
        Stop-Process -Id $script:SandboxProcess.Id -ErrorAction SilentlyContinue
    }
}

function Reset-ZadarmaSandbox {
    Invoke-RestMethod -Method Post -Uri "$script:SandboxBase/_sandbox/reset" | Out-Null
}

function Invoke-SandboxControl([string] $Command, [hashtable] $Body) {
    if ($Body) {
        Invoke-RestMethod -Method Post -Uri "$script:SandboxBase/_sandbox/$Command" -ContentType 'application/json' -Body ($Body | ConvertTo-Json)
    }
    else {
        Invoke-RestMethod -Method Get -Uri "$script:SandboxBase/_sandbox/$Command"
    }
}
