# Helpers for the Pester acceptance tests (tests/*.Tests.ps1): start and control the MessagingTools sandbox
# (tests/MessagingTools.Sandbox, a Kestrel server on 127.0.0.1) as a separate process, and import the module as
# build.ps1 -Task Build leaves it in output/MessagingTools/<version>/.
#
# Works on Windows PowerShell 5.1 and PowerShell 7: no ternary, no ??, no &&, no ForEach-Object -Parallel.
# The sandbox's HTTP control API is in tests/MessagingTools.Sandbox/SandboxServer.cs (ControlAsync) and
# Providers/BaleSandbox.cs (Control):
#   POST /_sandbox/reset                 forget deliveries, uploads, requests and faults; the front door polite again
#                                        (latency is kept)
#   POST /_sandbox/latency   {"ms":50}   delay every provider answer
#   POST /_sandbox/faults    a Fault     {"kind":"Status|RateLimit|Hang|Drop|MalformedJson|Redirect|EchoCredentials",
#                                         "pathContains":"send_message","count":1,"afterProcessing":false,"status":500,
#                                         "delayMs":30000,"retryAfterSeconds":1,"location":"http://elsewhere/"}
#   GET  /_sandbox/requests              every provider request received (at, method, path, query, body, and fault:
#                                        the fault kind that hit it or null, afterProcessing, bodyRead)
#   POST /_sandbox/manners   {"manners":"Polite|CloseSilently|ErrorBeforeBody|Http10|SlowAccept","acceptDelayMs":200}
#                                        how the front door (the sandbox's second port, $Sandbox.Front) behaves; GET reads
#                                        it (SandboxManners.cs; Set-TestSandboxManners)
#   GET  /_sandbox/bale/deliveries       Bale messages delivered (requestId, botId, phoneNumber, text, fileId, copyText, isSecure, at)
#   GET  /_sandbox/bale/uploads          Bale files received (fileId, fileName, contentType, length, sha256)
# and, per provider (Providers/FlashCallSandbox.cs, FeedbotSandbox.cs, ZadarmaSandbox.cs):
#   GET  /_sandbox/flashcall/calls       flash calls placed (destination, code, headNumber, trackingCode, ...)
#   GET  /_sandbox/feedbot/queued        FeedBot messages queued (id, phone, text, imagePath, invalidationTime, ...)
#   POST /_sandbox/feedbot/status-delay/<ms>   how long a queued FeedBot message stays pending
#   GET  /_sandbox/zadarma/callbacks, /_sandbox/zadarma/sms, /_sandbox/zadarma/sips
#   POST /_sandbox/zadarma/ratelimit {"limit":100,"statisticsLimit":3,"windowSeconds":60}
#   POST /_sandbox/zadarma/calls     {"count":50,"start":"2026-11-01 00:00:00","end":"2026-11-21 23:59:59","to":"800123"}
#   POST /_sandbox/zadarma/timezone  {"name":"Europe/Berlin"} or {"name":"UTC+3"} or {"name":"MSK","clockOffset":"03:00"}
#   POST /_sandbox/zadarma/deny      {"numbers":["79001234568"],"message":"..."}: sms/send lists them in denied_numbers
#   POST /_sandbox/zadarma/notify    {"url":"http://localhost:8080/","secret":"...","count":100,"forged":5,"malformed":5,
#                                     "unsigned":5,"parallel":1,"noEcho":false,"seed":1,"waitMs":0}: plays Zadarma towards a
#                                     notification URL and reports {echo, notifications[]} (Providers/ZadarmaNotifier.cs)
#   POST /_sandbox/zadarma/play-call {"url":"http://localhost:8080/","secret":"...","calls":["incoming","outgoing","ivr"],
#                                     "digits":"2","noEcho":false,"waitMs":0}: plays Zadarma's PBX through whole calls, every
#                                     call event signed, and reports {echo, events[], notes[]} (Providers/ZadarmaCallPlayer.cs)
# Answers use System.Text.Json's web defaults (camelCase names); PowerShell property access ignores case.

Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:SandboxProject = Join-Path $script:RepoRoot 'tests/MessagingTools.Sandbox'
$script:Manifest = Join-Path $script:RepoRoot 'MessagingTools.psd1'

# The credentials the sandbox accepts unless started with --bale-key, --flashcall-token, --feedbot-token,
# --zadarma-key or --zadarma-secret (Program.cs; the defaults are the DefaultApiKey/DefaultToken/DefaultKey/
# DefaultSecret constants of tests/MessagingTools.Sandbox/Providers/*Sandbox.cs).
$script:DefaultBaleKey = 'sandbox-bale-key'
$script:DefaultFlashCallToken = 'sandbox-flashcall-token'
$script:DefaultFeedbotToken = 'sandbox-feedbot-token'
$script:DefaultZadarmaKey = 'sandbox-zadarma-key'
$script:DefaultZadarmaSecret = 'sandbox-zadarma-secret'

function Get-FreeTcpPort {
    <# A TCP port that was free a moment ago: bind port 0 on loopback, read the port the system chose, release it. #>
    [CmdletBinding()]
    [OutputType([int])]
    param()
    $listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback, 0)
    try {
        $listener.Start()
        return ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port
    }
    finally {
        $listener.Stop()
    }
}

function Get-ModuleVersion {
    <# ModuleVersion from MessagingTools.psd1, the one source of the version (Directory.Build.props reads it too). #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    return [string](Import-PowerShellDataFile -LiteralPath $script:Manifest).ModuleVersion
}

function Get-BuiltModulePath {
    <# The manifest that build.ps1 -Task Build publishes: output/MessagingTools/<version>/MessagingTools.psd1. #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $version = Get-ModuleVersion
    return Join-Path $script:RepoRoot (Join-Path 'output/MessagingTools' (Join-Path $version 'MessagingTools.psd1'))
}

function Import-BuiltModule {
    <# Imports the built module into the global scope so that the test script sees its cmdlets. #>
    [CmdletBinding()]
    param([switch]$PassThru)
    $path = Get-BuiltModulePath
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The module is not built: '$path' does not exist. Run ./build.ps1 -Task Build first."
    }
    Import-Module -Name $path -Global -Force -ErrorAction Stop -PassThru:$PassThru
}

function Start-TestSandbox {
    <#
    .SYNOPSIS
    Starts the sandbox on a free port and waits until it answers.
    .DESCRIPTION
    Runs the built MessagingTools.Sandbox.dll with `dotnet <dll> --port <port>` (building the project first when the
    dll is missing). The dll is started directly rather than through `dotnet run`, because `dotnet run` starts the
    server as a child process that Stop-Process on the `dotnet run` process would leave running.
    Returns an object with BaseUri (http://127.0.0.1:<port>/), every provider's endpoint and sandbox credentials
    (the addresses of SandboxServer.cs: BaleEndpoint <BaseUri>bale/api/v3/ and BaleApiKey; FlashCallEndpoint
    <BaseUri>flashcall/services/call/call/ and FlashCallToken; FeedbotEndpoint <BaseUri>feedbot/addnewmessages,
    FeedbotStatusEndpoint <BaseUri>feedbot/getmessagestatus and FeedbotToken; ZadarmaEndpoint <BaseUri>zadarma/,
    ZadarmaApiKey and ZadarmaApiSecret), Port, Process and the log file paths, and Front: the same endpoints and
    credentials on the sandbox's front door, the port that plays the manners of Set-TestSandboxManners (polite
    until then, and again after Reset-TestSandbox); the sandbox's own address is always polite.
    .PARAMETER Configuration
    The build configuration of the sandbox to run. Default: $env:MESSAGINGTOOLS_TEST_CONFIGURATION when set
    (build.ps1 sets it), else Release.
    #>
    [CmdletBinding()]
    param(
        [ValidateSet('Debug', 'Release')]
        [string]$Configuration = $(if ($env:MESSAGINGTOOLS_TEST_CONFIGURATION) { $env:MESSAGINGTOOLS_TEST_CONFIGURATION } else { 'Release' }),

        [ValidateRange(0, 60000)]
        [int]$LatencyMs = 0,

        # Lowers the Bale sandbox's upload limit (500 MB by default) to test refusals with small files.
        [long]$BaleMaxUploadBytes = 0,

        [ValidateRange(5, 600)]
        [int]$TimeoutSec = 120,

        # The port of its polite address (the one the README's examples use is 5080); default a free one.
        [ValidateRange(0, 65535)]
        [int]$Port = 0
    )

    # A default value is not checked against ValidateSet: check the one taken from the environment here.
    if (@('Debug', 'Release') -notcontains $Configuration) {
        throw "MESSAGINGTOOLS_TEST_CONFIGURATION is '$Configuration': it must be Debug or Release."
    }
    $dll = Join-Path $script:SandboxProject (Join-Path "bin/$Configuration/net10.0" 'MessagingTools.Sandbox.dll')
    if (-not (Test-Path -LiteralPath $dll)) {
        Write-Verbose "Building the sandbox ($Configuration): $dll is missing."
        & dotnet build (Join-Path $script:SandboxProject 'MessagingTools.Sandbox.csproj') -c $Configuration --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet build of the sandbox failed with exit code $LASTEXITCODE." }
    }

    if ($Port -gt 0) { $port = $Port } else { $port = Get-FreeTcpPort }
    # Start-Process joins ArgumentList with spaces on both editions: quote the path ourselves.
    # (Parentheses: the comma binds tighter than -f.)
    $arguments = @(('"{0}"' -f $dll), '--port', [string]$port)
    if ($LatencyMs -gt 0) { $arguments += @('--latency-ms', [string]$LatencyMs) }
    if ($BaleMaxUploadBytes -gt 0) { $arguments += @('--bale-max-upload-bytes', [string]$BaleMaxUploadBytes) }

    $logBase = Join-Path ([System.IO.Path]::GetTempPath()) ("messagingtools-sandbox-{0}" -f $port)
    $stdout = "$logBase.out.log"
    $stderr = "$logBase.err.log"
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr

    $baseUri = "http://127.0.0.1:$port/"
    $sandbox = New-SandboxEndpointSet -BaseUri $baseUri -TypeName 'MessagingTools.TestSandbox'
    $sandbox | Add-Member -NotePropertyMembers ([ordered]@{
            Port      = $port
            Process   = $process
            StdOutLog = $stdout
            StdErrLog = $stderr
            Front     = $null
        })

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        try {
            $manners = Invoke-RestMethod -Method Get -Uri ($baseUri + '_sandbox/manners') -TimeoutSec 5 -ErrorAction Stop
            $sandbox.Front = New-SandboxEndpointSet -BaseUri ([string]$manners.frontBaseUri) -TypeName 'MessagingTools.TestSandboxFront'
            return $sandbox
        }
        catch {
            if ($process.HasExited) {
                $log = ''
                if (Test-Path -LiteralPath $stderr) { $log = (Get-Content -LiteralPath $stderr -Raw) }
                throw "The sandbox exited with code $($process.ExitCode) before answering on $baseUri. $log"
            }
            if ([DateTime]::UtcNow -gt $deadline) {
                Stop-TestSandbox -Sandbox $sandbox
                throw "The sandbox did not answer on $baseUri within $TimeoutSec s: $($_.Exception.Message)"
            }
            Start-Sleep -Milliseconds 250
        }
    }
}

function New-SandboxEndpointSet {
    <# The endpoints and credentials of the sandbox at one base address (its own, or its front door's). #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)] [string]$BaseUri, [Parameter(Mandatory = $true)] [string]$TypeName)
    [pscustomobject]@{
        PSTypeName            = $TypeName
        BaseUri               = $BaseUri
        BaleEndpoint          = $BaseUri + 'bale/api/v3/'
        BaleApiKey            = $script:DefaultBaleKey
        FlashCallEndpoint     = $BaseUri + 'flashcall/services/call/call/'
        FlashCallToken        = $script:DefaultFlashCallToken
        FeedbotEndpoint       = $BaseUri + 'feedbot/addnewmessages'
        FeedbotStatusEndpoint = $BaseUri + 'feedbot/getmessagestatus'
        FeedbotToken          = $script:DefaultFeedbotToken
        ZadarmaEndpoint       = $BaseUri + 'zadarma/'
        ZadarmaApiKey         = $script:DefaultZadarmaKey
        ZadarmaApiSecret      = $script:DefaultZadarmaSecret
    }
}

function Stop-TestSandbox {
    <#
    .SYNOPSIS
    Stops a sandbox: the one Start-TestSandbox returned (its process, and its children where the runtime can), or with
    -Port the one that answers on 127.0.0.1:<port>, however it was started (dotnet run included).
    .DESCRIPTION
    With -Port it asks the sandbox to end (POST /_sandbox/stop), then waits until nothing answers on the port; throws if
    something still answers after -TimeoutSec. Stop-Process on a `dotnet run` leaves the server it started running; this
    does not.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Sandbox')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipeline = $true, ParameterSetName = 'Sandbox')]
        [AllowNull()]
        $Sandbox,

        [Parameter(Mandatory = $true, ParameterSetName = 'Port')]
        [ValidateRange(1, 65535)]
        [int]$Port,

        [ValidateRange(1, 600)]
        [int]$TimeoutSec = 30
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'Port') {
            $baseUri = "http://127.0.0.1:$Port/"
            try { $null = Invoke-RestMethod -Method Post -Uri ($baseUri + '_sandbox/stop') -TimeoutSec 10 -ErrorAction Stop }
            catch { Write-Verbose "No sandbox answered on ${baseUri}: $($_.Exception.Message)"; return }
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while ([DateTime]::UtcNow -lt $deadline) {
                $client = New-Object System.Net.Sockets.TcpClient
                try { $client.Connect('127.0.0.1', $Port) }
                catch { return }   # refused: stopped
                finally { $client.Dispose() }
                Start-Sleep -Milliseconds 200
            }
            throw "The sandbox on $baseUri still answers $TimeoutSec s after it was asked to stop."
        }
        if ($null -eq $Sandbox -or $null -eq $Sandbox.Process) { return }
        $process = $Sandbox.Process
        try {
            if (-not $process.HasExited) {
                # Kill(bool entireProcessTree) exists on .NET Core 3.0+ (PowerShell 7); .NET Framework (5.1) has Kill() only.
                $kill = $process.PSObject.Methods['Kill']
                if (@($kill.OverloadDefinitions) -match 'entireProcessTree') { $process.Kill($true) } else { $process.Kill() }
                $null = $process.WaitForExit(10000)
            }
        }
        catch {
            # It exited between HasExited and Kill: nothing left to stop.
            Write-Verbose "Stopping the sandbox: $($_.Exception.Message)"
        }
        finally {
            $process.Dispose()
        }
    }
}

function Invoke-SandboxControl {
    <#
    .SYNOPSIS
    Calls the sandbox's control API under /_sandbox/.
    .EXAMPLE
    Invoke-SandboxControl $sandbox reset
    Invoke-SandboxControl $sandbox latency -Body @{ ms = 200 }
    Invoke-SandboxControl $sandbox faults -Body @{ kind = 'Status'; pathContains = 'send_message'; status = 500 }
    Invoke-SandboxControl $sandbox bale/deliveries
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        $Sandbox,

        [Parameter(Mandatory = $true, Position = 1)]
        [string]$Command,

        [hashtable]$Body,

        # Default: GET for the commands that only read (requests, bale/deliveries, bale/uploads, flashcall/calls,
        # feedbot/queued, zadarma/callbacks, zadarma/sms, zadarma/sips); POST for the rest.
        [ValidateSet('GET', 'POST')]
        [string]$Method
    )
    $command = $Command.Trim('/')
    if (-not $Method) {
        $reads = @('requests', 'bale/deliveries', 'bale/uploads', 'flashcall/calls', 'feedbot/queued',
            'zadarma/callbacks', 'zadarma/sms', 'zadarma/sips')
        if ($command -in $reads) { $Method = 'GET' } else { $Method = 'POST' }
    }
    $uri = $Sandbox.BaseUri + '_sandbox/' + $command
    $parameters = @{ Method = $Method; Uri = $uri; TimeoutSec = 30; ErrorAction = 'Stop' }
    if ($Method -eq 'POST') {
        $json = '{}'
        if ($Body) { $json = ConvertTo-Json -InputObject $Body -Depth 5 -Compress }
        $parameters['Body'] = [System.Text.Encoding]::UTF8.GetBytes($json)
        $parameters['ContentType'] = 'application/json; charset=utf-8'
    }
    $answer = Invoke-RestMethod @parameters
    # Windows PowerShell 5.1 writes a JSON array as ONE object; PowerShell 7 enumerates it (and writes nothing for
    # []). Enumerate here so that callers can always write @(Invoke-SandboxControl ...).
    foreach ($item in @($answer)) {
        if ($null -ne $item) { $item }
    }
}

function Reset-TestSandbox {
    <# Forgets every provider's records (deliveries, uploads, calls, messages...), requests and faults; latency back to 0; the front door polite again. #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $Sandbox)
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Command 'reset'
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Command 'latency' -Body @{ ms = 0 }
}

function Set-SandboxLatency {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Sandbox,
        [Parameter(Mandatory = $true, Position = 1)] [int]$Milliseconds
    )
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Command 'latency' -Body @{ ms = $Milliseconds }
}

function Set-TestSandboxManners {
    <#
    .SYNOPSIS
    Sets how the sandbox's front door ($Sandbox.Front: the same endpoints on a second port) behaves.
    .DESCRIPTION
    Real servers differ in their manners (tests/MessagingTools.Sandbox/SandboxManners.cs):
      Polite           HTTP/1.1 keep-alive, as Kestrel answers (what Reset-TestSandbox restores)
      CloseSilently    closes after each answer without saying Connection: close (Python's http.server)
      ErrorBeforeBody  a request a Status or RateLimit fault answers unprocessed is answered as soon as its head is read,
                       its body unread, then the connection is closed gracefully (lingering close)
      Http10           answers HTTP/1.0: no keep-alive, the body ends where the connection closes
      SlowAccept       each new connection waits -AcceptDelayMs (default 200) before it is served, one after the other
    The sandbox's own address ($Sandbox.BaseUri and its endpoints) stays polite.
    .EXAMPLE
    Set-TestSandboxManners $Sandbox CloseSilently
    Send-FlashCall -Destination 09123456789 -Token $token -Endpoint $Sandbox.Front.FlashCallEndpoint
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Sandbox,
        [Parameter(Mandatory = $true, Position = 1)]
        [ValidateSet('Polite', 'CloseSilently', 'ErrorBeforeBody', 'Http10', 'SlowAccept')]
        [string]$Manners,
        [ValidateRange(0, 60000)]
        [int]$AcceptDelayMs = -1
    )
    $body = @{ manners = $Manners }
    if ($AcceptDelayMs -ge 0) { $body['acceptDelayMs'] = $AcceptDelayMs }
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Command 'manners' -Body $body
}

function Add-SandboxFault {
    <# Injects a fault into the next -Count requests whose path contains -PathContains, or with -Every N into every Nth of them (see SandboxModel.cs Fault). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Sandbox,
        [Parameter(Mandatory = $true)]
        [ValidateSet('Status', 'RateLimit', 'Hang', 'Drop', 'MalformedJson', 'Redirect', 'EchoCredentials')]
        [string]$Kind,
        [Parameter(Mandatory = $true)] [string]$PathContains,
        [int]$Count = 1,
        [switch]$AfterProcessing,
        [int]$Status = 500,
        [int]$DelayMs = 30000,
        [int]$RetryAfterSeconds = 1,
        # Hit only every Nth matching request (retries included) until -Count were hit.
        [int]$Every = 1,
        # A repeated request (same body: a retry) passes untouched and is not counted.
        [switch]$SkipRepeats,
        # Where a Redirect points (its Location header).
        [string]$Location
    )
    $fault = @{
        kind              = $Kind
        pathContains      = $PathContains
        count             = $Count
        afterProcessing   = [bool]$AfterProcessing
        status            = $Status
        delayMs           = $DelayMs
        retryAfterSeconds = $RetryAfterSeconds
        every             = $Every
        skipRepeats       = [bool]$SkipRepeats
    }
    if ($Location) { $fault['location'] = $Location }
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Command 'faults' -Body $fault
}

function Get-SandboxBaleDelivery {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $Sandbox)
    Invoke-SandboxControl -Sandbox $Sandbox -Command 'bale/deliveries'
}

function Get-SandboxBaleUpload {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $Sandbox)
    Invoke-SandboxControl -Sandbox $Sandbox -Command 'bale/uploads'
}

function Get-SandboxRequest {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $Sandbox)
    Invoke-SandboxControl -Sandbox $Sandbox -Command 'requests'
}

function Get-SandboxZadarmaConnection {
    <#
    .SYNOPSIS
    The parameters that connect a Zadarma cmdlet to the sandbox, to splat: @{ Credential; Endpoint }.
    .DESCRIPTION
    Credential is a PSCredential of the sandbox's Zadarma key (user name) and secret (password); Endpoint is the
    sandbox's Zadarma base address. Both come from the object Start-TestSandbox returns.
    .EXAMPLE
    $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
    Get-ZadarmaBalance @Zadarma
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory = $true, Position = 0)] $Sandbox)
    $secret = ConvertTo-SecureString -String $Sandbox.ZadarmaApiSecret -AsPlainText -Force
    $credential = New-Object System.Management.Automation.PSCredential ($Sandbox.ZadarmaApiKey, $secret)
    return @{ Credential = $credential; Endpoint = $Sandbox.ZadarmaEndpoint }
}

function Send-SandboxZadarmaNotification {
    <#
    .SYNOPSIS
    Has the sandbox play Zadarma towards a notification URL: the zd_echo address check, then -Count notifications.
    .DESCRIPTION
    The sandbox first sends GET <Url>?zd_echo=X (unless -NoEcho), then -Count incoming-call notifications as Zadarma
    posts them: form-encoded caller_id (+7926 and 1000000 + index), called_did 74951234567, call_start (every third
    one named callstart, as the seed writes it) and an extra pbx_call_id (in_sandbox_<index>), each with the Signature
    header Zadarma's PHP example checks, made with -Secret. -Forged of them are signed with another secret, -Unsigned
    have no Signature, -Malformed miss called_did or are JSON instead of a form; which index is which is shuffled
    with -Seed, but the last one is always a signed one (so that a listener with -Count of the signed ones stops
    after the last notification; with -Parallel above 1 that holds no more). Returns the sandbox's report:
      echo           { expected, status, body, ok } (null with -NoEcho)
      notifications  one per index, in index order: { index, kind (signed|forged|unsigned|malformed), callerId,
                     calledDid, callStart, startField, status, body, contentType } - what the URL answered
                     (status 0 and the reason as body when it did not answer).
    .EXAMPLE
    $report = Send-SandboxZadarmaNotification $Sandbox -Url 'http://localhost:18080/' -Count 100 -Forged 10 -Malformed 5
    $report.notifications | Where-Object kind -eq 'signed' | ForEach-Object { $_.body | ConvertFrom-Json }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Sandbox,
        [Parameter(Mandatory = $true)] [string]$Url,
        # Default: the sandbox's Zadarma secret (what Get-SandboxZadarmaConnection gives the cmdlets).
        [string]$Secret,
        [int]$Count = 1,
        [int]$Forged = 0,
        [int]$Malformed = 0,
        [int]$Unsigned = 0,
        # Notifications sent at the same time.
        [int]$Parallel = 1,
        [switch]$NoEcho,
        [int]$Seed = 1,
        # Keep trying the address check this long while nothing listens at -Url yet (a listener still starting).
        [int]$WaitMs = 0,
        # Seconds to wait for the whole run.
        [int]$TimeoutSec = 300
    )
    if (-not $Secret) { $Secret = $Sandbox.ZadarmaApiSecret }
    $plan = @{
        url = $Url; secret = $Secret; count = $Count; forged = $Forged; malformed = $Malformed; unsigned = $Unsigned
        parallel = $Parallel; noEcho = [bool]$NoEcho; seed = $Seed; waitMs = $WaitMs
    }
    $json = ConvertTo-Json -InputObject $plan -Compress
    Invoke-RestMethod -Method Post -Uri ($Sandbox.BaseUri + '_sandbox/zadarma/notify') -TimeoutSec $TimeoutSec -ErrorAction Stop `
        -Body ([System.Text.Encoding]::UTF8.GetBytes($json)) -ContentType 'application/json; charset=utf-8'
}

function Send-SandboxZadarmaCall {
    <#
    .SYNOPSIS
    Has the sandbox play Zadarma's PBX through whole calls towards a URL: the zd_echo check, then every call event, signed.
    .DESCRIPTION
    The sandbox first sends GET <Url>?zd_echo=X (unless -NoEcho), then, one after the other and in call order, the events
    of each call of -Call, form-encoded as PHP posts them, each with the Signature Zadarma's SDK makes for that event:
      incoming  NOTIFY_START, NOTIFY_INTERNAL (extension 100), NOTIFY_ANSWER, NOTIFY_END (125 s, answered, recorded),
                NOTIFY_RECORD; caller +7926123456<n>, pbx_call_id in_sandbox_<n>, recording 1765015201.<n>
      outgoing  NOTIFY_OUT_START, NOTIFY_OUT_END (extension 101 to 442037691881, 42 s, busy, not recorded); out_sandbox_<n>
      ivr       NOTIFY_START (caller +7926765432<n>); when its answer holds a wait_dtmf, NOTIFY_IVR with -Digits under that
                wait's name (the answer decides: without a wait_dtmf no NOTIFY_IVR is posted, and notes says so)
      internal  NOTIFY_START, NOTIFY_INTERNAL, NOTIFY_END of extension 101 calling 100: called_did posted empty
    (<n> is the call's place in -Call, from 1; the start times are 2026-12-06 10:00:01 plus n-1 minutes.) Returns the
    sandbox's report:
      echo    { expected, status, body, ok } (null with -NoEcho)
      events  one per post, in order: { call, event, fields, form, signedText, signature, status, body, contentType }
      notes   what the sandbox, reading the answers as Zadarma does, found wrong or skipped
    .EXAMPLE
    $report = Send-SandboxZadarmaCall $Sandbox -Url 'http://localhost:18080/' -Call incoming, ivr -Digits 1
    $report.events | Select-Object event, status, body
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Sandbox,
        [Parameter(Mandatory = $true)] [string]$Url,
        [ValidateSet('incoming', 'outgoing', 'ivr', 'internal')]
        [string[]]$Call = @('incoming', 'outgoing', 'ivr'),
        # Default: the sandbox's Zadarma secret (what Get-SandboxZadarmaConnection gives the cmdlets).
        [string]$Secret,
        [string]$Digits = '2',
        [switch]$NoEcho,
        # Keep trying the address check this long while nothing listens at -Url yet (a listener still starting).
        [int]$WaitMs = 0,
        [int]$TimeoutSec = 300
    )
    if (-not $Secret) { $Secret = $Sandbox.ZadarmaApiSecret }
    $plan = @{ url = $Url; secret = $Secret; calls = @($Call); digits = $Digits; noEcho = [bool]$NoEcho; waitMs = $WaitMs }
    $json = ConvertTo-Json -InputObject $plan -Compress
    Invoke-RestMethod -Method Post -Uri ($Sandbox.BaseUri + '_sandbox/zadarma/play-call') -TimeoutSec $TimeoutSec -ErrorAction Stop `
        -Body ([System.Text.Encoding]::UTF8.GetBytes($json)) -ContentType 'application/json; charset=utf-8'
}

function Start-ZadarmaWebHost {
    <#
    .SYNOPSIS
    A web host of the user's own, as docs/zadarma.md shows one, in a runspace with the built module imported: an
    HttpListener on -Prefix that answers the zd_echo check and reads each POST with ConvertFrom-ZadarmaNotification
    (-RequireSignature, the -Secret), answering 200 with ConvertTo-ZadarmaRouteAnswer of what -Route (the text of a
    scriptblock, the call as $args[0]) gives, or the refusal's HttpStatus. It stops after -Count notifications were
    read (or -TimeoutSec without a request). Wait-ZadarmaWebHost returns the calls and errors.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [string]$Prefix,
        [Parameter(Mandatory = $true)] [int]$Count,
        [Parameter(Mandatory = $true)] [string]$Secret,
        [string]$Route = '',
        [int]$TimeoutSec = 30
    )
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
    $iss.ImportPSModule(@(Get-BuiltModulePath))
    $runspace = [runspacefactory]::CreateRunspace($iss)
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript({
            param($Prefix, $Count, $Secret, $Route, $TimeoutSec)
            $credential = New-Object System.Management.Automation.PSCredential ('key', (ConvertTo-SecureString $Secret -AsPlainText -Force))
            $routeBlock = [scriptblock]::Create($Route)
            $http = New-Object System.Net.HttpListener
            $http.Prefixes.Add($Prefix)
            $http.Start()
            $read = 0
            try {
                while ($read -lt $Count) {
                    $next = $http.GetContextAsync()
                    if (-not $next.Wait([TimeSpan]::FromSeconds($TimeoutSec))) { break }
                    $context = $next.Result
                    $status = 200
                    $answer = ''
                    if ($context.Request.HttpMethod -eq 'GET') { $answer = [string]$context.Request.QueryString['zd_echo'] }
                    else {
                        $reader = New-Object System.IO.StreamReader ($context.Request.InputStream, [System.Text.Encoding]::UTF8)
                        $body = $reader.ReadToEnd()
                        $headers = @{}
                        foreach ($name in $context.Request.Headers.AllKeys) { $headers[$name] = $context.Request.Headers[$name] }
                        $refused = @()
                        $call = ConvertFrom-ZadarmaNotification -Body $body -Headers $headers -Credential $credential -RequireSignature `
                            -ErrorVariable refused -ErrorAction SilentlyContinue
                        $read++
                        if ($call) {
                            $call
                            $answer = ConvertTo-ZadarmaRouteAnswer -Route (& $routeBlock $call)
                        }
                        else {
                            $refused[0]
                            $status = $refused[0].Exception.HttpStatus
                        }
                    }
                    $bytes = [System.Text.Encoding]::UTF8.GetBytes($answer)
                    $context.Response.StatusCode = $status
                    $context.Response.ContentType = $(if ($answer -like '{*') { 'application/json' } else { 'text/plain' })
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            }
            finally { $http.Close() }
        }).AddArgument($Prefix).AddArgument($Count).AddArgument($Secret).AddArgument($Route).AddArgument($TimeoutSec)
    $output = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
    $none = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
    $none.Complete()
    [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Output = $output; Pending = $ps.BeginInvoke($none, $output) }
}

function Wait-ZadarmaWebHost {
    <# Waits for a Start-ZadarmaWebHost host to end (at most -TimeoutSec): its Calls (ZadarmaCall), Refused (error records) and Errors. #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] $WebHost, [int]$TimeoutSec = 60)
    $ended = $WebHost.Pending.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
    if ($ended) { try { $null = $WebHost.PowerShell.EndInvoke($WebHost.Pending) } catch { } } else { $WebHost.PowerShell.Stop() }
    $all = @($WebHost.Output | ForEach-Object { $_ })
    $result = [pscustomobject]@{
        Ended   = $ended
        Calls   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        Refused = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        Errors  = @($WebHost.PowerShell.Streams.Error | ForEach-Object { $_ })
    }
    $WebHost.PowerShell.Dispose()
    $WebHost.Runspace.Dispose()
    $result
}

function Write-TestCsv {
    <#
    .SYNOPSIS
    Writes lines of CSV text to a file in Pester's $TestDrive (or -Directory) and returns the file's path.
    .DESCRIPTION
    The file is UTF-8 (Windows PowerShell 5.1 adds a BOM, PowerShell 7 does not; Import-Csv -Encoding UTF8 reads
    both). Pester 5 publishes $TestDrive as a global variable while a test file runs (src/functions/TestDrive.ps1).
    .EXAMPLE
    $csv = Write-TestCsv 'calls.csv' @('Phone,Message', '09123456789,hello')
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true, Position = 0)]
        [string]$Name,

        [Parameter(Position = 1)]
        [string[]]$Lines,

        # Default: Pester's $TestDrive.
        [string]$Directory
    )
    if (-not $Directory) {
        $Directory = Get-Variable -Name TestDrive -Scope Global -ValueOnly -ErrorAction SilentlyContinue
        if (-not $Directory) { throw 'Write-TestCsv needs -Directory outside a Pester run (there is no $TestDrive).' }
    }
    $path = Join-Path $Directory $Name
    Set-Content -LiteralPath $path -Value $Lines -Encoding UTF8
    return $path
}

function ConvertTo-SingleQuoted {
    <# A PowerShell single-quoted string literal for a value, to write it into a script run by a child process. #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory = $true, Position = 0)] [AllowEmptyString()] [AllowNull()] [string]$Value)
    return "'" + ([string]$Value).Replace("'", "''") + "'"
}

function Get-PowerShellExecutable {
    <#
    .SYNOPSIS
    The executable of the PowerShell running this session, to start child processes of the same edition.
    .DESCRIPTION
    pwsh (pwsh.exe on Windows) for PowerShell 7, whether installed normally or run as the PowerShell .NET tool
    (`dotnet pwsh`); powershell.exe for Windows PowerShell 5.1. It is taken from $PSHOME: under the .NET tool
    launcher (Get-Process -Id $PID).Path is the dotnet host, which cannot run a script. The .NET tool's pwsh is an
    application host that looks for the .NET runtime in the default places; when this session runs on a dotnet
    elsewhere, DOTNET_ROOT is set to that dotnet's folder so that children use the same runtime.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    if ($PSVersionTable.PSEdition -eq 'Desktop') { $name = 'powershell.exe' }
    elseif ($onWindows) { $name = 'pwsh.exe' }
    else { $name = 'pwsh' }
    $path = Join-Path $PSHOME $name
    if (-not (Test-Path -LiteralPath $path)) {
        throw "Cannot start a child PowerShell: '$path' does not exist (PSHOME is '$PSHOME')."
    }
    $hostPath = (Get-Process -Id $PID).Path
    if (-not $env:DOTNET_ROOT -and $hostPath -and [System.IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') {
        $env:DOTNET_ROOT = Split-Path -Parent $hostPath
    }
    return $path
}

function Invoke-ChildPowerShell {
    <#
    .SYNOPSIS
    Runs a script in a new process of the same PowerShell (pwsh or powershell.exe) and returns its console text.
    .DESCRIPTION
    For what only the host shows, such as the "What if:" lines of -WhatIf, which no stream redirection captures
    in-process. The script is passed with -EncodedCommand (UTF-16LE, base64), which avoids the quoting rules of
    native command lines on both editions; -OutputFormat Text keeps the redirected child from writing its host
    stream again as CLIXML. Returns an object with Lines (stdout lines) and ExitCode.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, Position = 0)] [string]$Script)
    $exe = Get-PowerShellExecutable
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    $lines = & $exe -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded
    [pscustomobject]@{
        Lines    = @($lines | ForEach-Object { [string]$_ })
        ExitCode = $LASTEXITCODE
    }
}

function Invoke-MeasuringPowerShell {
    <#
    .SYNOPSIS
    Runs a script in a new process of the same PowerShell with settings given in a file, and returns the JSON object
    that is the last line it prints.
    .DESCRIPTION
    For the benchmarks (tests/MessagingTools.Benchmarks/Measure-*.ps1): each measurement in a fresh process, so that
    no other run's objects or JIT state are counted. The settings (credentials among them) reach the child as a JSON
    file whose path is its $args[0], never on its command line; both temporary files are removed afterwards. Throws,
    naming -What, when the child fails.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] [string]$Script,
        [Parameter(Mandatory = $true)] $Settings,
        [string]$What = 'the measurement'
    )
    $settingsFile = [System.IO.Path]::GetTempFileName()
    $scriptFile = [System.IO.Path]::ChangeExtension([System.IO.Path]::GetTempFileName(), '.ps1')
    try {
        ConvertTo-Json -InputObject $Settings -Depth 4 | Set-Content -LiteralPath $settingsFile
        Set-Content -LiteralPath $scriptFile -Value $Script
        $line = & (Get-PowerShellExecutable) -NoProfile -NonInteractive -File $scriptFile $settingsFile | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "The process measuring $What failed with exit code $LASTEXITCODE." }
        return ($line | ConvertFrom-Json)
    }
    finally {
        Remove-Item -LiteralPath $settingsFile, $scriptFile -ErrorAction Ignore
    }
}

function Get-MarkdownPowerShellBlock {
    <#
    .SYNOPSIS
    Every ```powershell block of a Markdown file, as objects with Line (of its first line of code), Section (the last
    "## " heading before it), Code, HandWritten: whether it lies in the page's hand-written part (between the
    markers the generator tests/MessagingTools.Docs keeps); in a file without those markers every block
    counts as hand-written; and NotRun with SameAs: a block right after a line
    `<!-- Not run here: it is <path>, ... -->` shows a file of the repository (a script that only runs inside another
    host, such as an Azure Functions run.ps1): it is not run as an example, and SameAs is that path, whose content a
    test compares with the block.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)] [string]$Path)
    $lines = Get-Content -LiteralPath $Path -Encoding UTF8
    $hasMarkers = @($lines | Where-Object { $_ -like '<!-- Hand-written part:*' }).Count -gt 0
    $handWritten = -not $hasMarkers
    $section = '(top)'
    $notRun = $null
    $code = $null
    $indent = 0
    $start = 0
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($null -eq $code) {
            if ($line -like '<!-- Hand-written part:*') { $handWritten = $true }
            if ($line -like '<!-- End of the hand-written part.*') { $handWritten = -not $hasMarkers }
            if ($line -match '^## (.+)$') { $section = $Matches[1] }
            if ($line -match '^\s*```powershell\s*$') {
                $indent = $line.IndexOf('`')
                $start = $i + 2
                $code = New-Object System.Collections.Generic.List[string]
                $sameAs = $null
                if ($i -gt 0 -and $lines[$i - 1] -match '^<!-- Not run here: it is (\S+?),') { $sameAs = $Matches[1] }
                $notRun = $sameAs
            }
            continue
        }
        if ($line -match '^\s*```\s*$') {
            [pscustomobject]@{ Line = $start; Section = $section; Code = ($code -join "`n"); HandWritten = $handWritten; NotRun = [bool]$notRun; SameAs = $notRun }
            $code = $null
            continue
        }
        # A block indented under a list item: drop the indentation of its fence.
        if ($line.Length -ge $indent -and $line.Substring(0, $indent).Trim() -eq '') { $line = $line.Substring($indent) }
        $code.Add($line)
    }
}

function Get-ReadmeExample {
    <#
    .SYNOPSIS
    Every ```powershell block of README.md that is run (see Get-MarkdownPowerShellBlock: not the files it shows), as
    hashtables with Name ("README line N (section)") and Code; with -NotRun, the others, with SameAs too.
    #>
    [CmdletBinding()]
    param([switch]$NotRun)
    foreach ($block in @(Get-MarkdownPowerShellBlock -Path (Join-Path $script:RepoRoot 'README.md'))) {
        if ($block.NotRun -ne [bool]$NotRun) { continue }
        @{ Name = "README line $($block.Line) ($($block.Section))"; Code = $block.Code; SameAs = $block.SameAs }
    }
}

function Get-DocsExample {
    <#
    .SYNOPSIS
    Every ```powershell block of the pages docs/*.md that is run, as hashtables with Name ("docs/<page> line N"), Page
    (the file name without .md: a cmdlet's name, README, or a guide's name), Code, Generated and Guide; with -NotRun,
    the blocks that show a file (see Get-MarkdownPowerShellBlock), with SameAs too. Generated blocks lie outside a
    page's hand-written part: they are the cmdlet's Get-Help examples, which Get-HelpExample runs already. Guide blocks
    are those of a page without hand-written markers (behaviour.md, bale.md...): written as the README's are, for a
    session of their own.
    #>
    [CmdletBinding()]
    param([switch]$NotRun)
    foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $script:RepoRoot 'docs') -Filter '*.md' -File | Sort-Object Name)) {
        $guide = -not (Select-String -LiteralPath $file.FullName -SimpleMatch -Pattern '<!-- Hand-written part:' -Quiet)
        foreach ($block in @(Get-MarkdownPowerShellBlock -Path $file.FullName | Where-Object { $_.NotRun -eq [bool]$NotRun })) {
            @{ Name = "docs/$($file.Name) line $($block.Line)"; Page = $file.BaseName; Code = $block.Code; Generated = -not $block.HandWritten; Guide = $guide; SameAs = $block.SameAs }
        }
    }
}

function Get-HelpExample {
    <#
    .SYNOPSIS
    Every example of Get-Help for every cmdlet of the built module, as hashtables with Name ("<cmdlet> example N"),
    Command and Code. Imports the built module.
    #>
    [CmdletBinding()]
    param()
    $module = Import-BuiltModule -PassThru
    foreach ($name in @($module.ExportedCmdlets.Keys | Sort-Object)) {
        $number = 0
        foreach ($example in @((Get-Help -Name $name).examples.example)) {
            $number++
            @{ Name = "$name example $number"; Command = $name; Code = [string]$example.code }
        }
    }
}

function Invoke-ExampleScript {
    <#
    .SYNOPSIS
    Runs documentation examples (README blocks, Get-Help examples) in a new PowerShell process, as a user would
    type them, and reports for each what it printed and which errors it wrote that it did not ask to collect.
    Each example object has Name, Code and, optionally, Setup: code run before it (not counted), for the variables
    and files the example takes for granted, and Check: code run after it (not counted) whose output, as text, is
    reported as Check (to see that something the example cannot show happened, such as the calls a listener got).
    .DESCRIPTION
    The child process finds MessagingTools on PSModulePath (the build output comes first, as an installed module
    would), works in -WorkingDirectory, runs -Prelude once (the variables and files a user has), then each
    example in order in the same script scope, so that an example may use what an earlier one set.
    An example passes when it throws no terminating error and writes no error except those collected by an
    -ErrorVariable it names itself (an example that shows error handling); a connection error always counts, as the
    sandbox is up and so it means a request went somewhere else. Requests counts what reached the sandbox while the
    example ran.
    Returns one object per example: Name, Output (rendered text), Terminating, Unexpected (messages), Collected
    (count of errors in its -ErrorVariables), Requests, Check.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] $Sandbox,
        # Objects with Name and Code.
        [Parameter(Mandatory = $true)] [object[]]$Example,
        [Parameter(Mandatory = $true)] [string]$WorkingDirectory,
        [string]$Prelude = ''
    )
    $moduleRoot = Split-Path -Parent (Split-Path -Parent (Get-BuiltModulePath))   # output/, which holds MessagingTools/<version>/
    $examplesFile = Join-Path $WorkingDirectory '.examples.json'
    $resultsFile = Join-Path $WorkingDirectory '.example-results.json'
    $items = @($Example | ForEach-Object {
            $setup = ''
            $check = ''
            if ($_ -is [System.Collections.IDictionary]) { $setup = [string]$_['Setup']; $check = [string]$_['Check'] }
            else {
                if ($_.PSObject.Properties['Setup']) { $setup = [string]$_.Setup }
                if ($_.PSObject.Properties['Check']) { $check = [string]$_.Check }
            }
            @{ Name = [string]$_.Name; Code = [string]$_.Code; Setup = $setup; Check = $check }
        })
    [System.IO.File]::WriteAllText($examplesFile, (ConvertTo-Json -InputObject $items -Depth 3), (New-Object System.Text.UTF8Encoding($false)))
    if (Test-Path -LiteralPath $resultsFile) { Remove-Item -LiteralPath $resultsFile -Force }

    $script = @"
`$ProgressPreference = 'SilentlyContinue'
`$env:PSModulePath = $(ConvertTo-SingleQuoted $moduleRoot) + [System.IO.Path]::PathSeparator + `$env:PSModulePath
Set-Location -LiteralPath $(ConvertTo-SingleQuoted $WorkingDirectory)
`$__sandboxRequests = $(ConvertTo-SingleQuoted ($Sandbox.BaseUri + '_sandbox/requests'))
function __CountRequests { @(Invoke-RestMethod -Uri `$__sandboxRequests -TimeoutSec 30 | ForEach-Object { `$_ }).Count }
$Prelude
`$__results = New-Object System.Collections.Generic.List[object]
foreach (`$__example in @(Get-Content -LiteralPath $(ConvertTo-SingleQuoted $examplesFile) -Raw -Encoding UTF8 | ConvertFrom-Json)) {
    `$__terminating = `$null
    if (`$__example.Setup) {
        try { `$ErrorActionPreference = 'Stop'; . ([scriptblock]::Create(`$__example.Setup)) | Out-Null }
        catch { `$__terminating = 'The setup failed: ' + `$_.ToString() }
        finally { `$ErrorActionPreference = 'Continue' }
    }
    `$Error.Clear()
    `$__before = __CountRequests
    `$__output = ''
    if (-not `$__terminating) { try {
        `$__output = . ([scriptblock]::Create(`$__example.Code)) 2>&1 3>&1 | Out-String -Width 160
    }
    catch {
        `$__terminating = `$_.ToString()
    } }
    `$__errors = @(`$Error | ForEach-Object { `$_ })
    # The variables named by -ErrorVariable (or -ev), written "-ErrorVariable x", "-ErrorVariable:x" or "+x".
    `$__names = @(foreach (`$__command in [System.Management.Automation.Language.Parser]::ParseInput(`$__example.Code, [ref]`$null, [ref]`$null).FindAll({
                param(`$a) `$a -is [System.Management.Automation.Language.CommandAst] }, `$true)) {
        `$__elements = @(`$__command.CommandElements)
        for (`$__i = 0; `$__i -lt `$__elements.Count; `$__i++) {
            `$__parameter = `$__elements[`$__i]
            if (`$__parameter -isnot [System.Management.Automation.Language.CommandParameterAst] -or @('ErrorVariable', 'ev') -notcontains `$__parameter.ParameterName) { continue }
            `$__argument = `$__parameter.Argument
            if (`$null -eq `$__argument -and `$__i + 1 -lt `$__elements.Count) { `$__argument = `$__elements[`$__i + 1] }
            if (`$null -ne `$__argument) { ([string]`$__argument.Extent.Text).Trim("'", '"').TrimStart('+') }
        }
    })
    `$__collected = @(foreach (`$__name in `$__names) { Get-Variable -Name `$__name -ValueOnly -ErrorAction SilentlyContinue })
    `$__unexpected = @(foreach (`$__error in `$__errors) {
        if (`$__error -isnot [System.Management.Automation.ErrorRecord]) { [string]`$__error; continue }
        `$__mine = @(`$__collected | Where-Object { [object]::ReferenceEquals(`$_, `$__error) -or ([string]`$_ -eq [string]`$__error -and `$_.FullyQualifiedErrorId -eq `$__error.FullyQualifiedErrorId) }).Count -gt 0
        if (-not `$__mine -or `$__error.CategoryInfo.Category -eq 'ConnectionError') { `$__error.FullyQualifiedErrorId + ': ' + `$__error.ToString() }
    })
    `$__requests = (__CountRequests) - `$__before
    `$__check = `$null
    if (`$__example.Check) {
        try { `$__check = (. ([scriptblock]::Create(`$__example.Check)) | Out-String).Trim() }
        catch { `$__check = 'The check failed: ' + `$_.ToString() }
    }
    `$__results.Add([pscustomobject]@{
        Name = `$__example.Name; Output = `$__output; Terminating = `$__terminating; Unexpected = `$__unexpected
        Collected = `$__collected.Count; Requests = `$__requests; Check = `$__check })
}
[System.IO.File]::WriteAllText($(ConvertTo-SingleQuoted $resultsFile), (ConvertTo-Json -InputObject `$__results.ToArray() -Depth 3), (New-Object System.Text.UTF8Encoding(`$false)))
"@
    $child = Invoke-ChildPowerShell -Script $script
    if (-not (Test-Path -LiteralPath $resultsFile)) {
        throw ("The examples did not finish (exit code {0}):`n{1}" -f $child.ExitCode, ($child.Lines -join "`n"))
    }
    foreach ($result in @(Get-Content -LiteralPath $resultsFile -Raw -Encoding UTF8 | ConvertFrom-Json)) {
        [pscustomobject]@{
            Name        = $result.Name
            Output      = [string]$result.Output
            Terminating = $result.Terminating
            Unexpected  = @($result.Unexpected | Where-Object { $_ })
            Collected   = [int]$result.Collected
            Requests    = [int]$result.Requests
            Check       = $result.Check
        }
    }
}

function ConvertTo-SearchableText {
    <#
    Everything a user could see of a run, as one string: objects (all properties), error records (message,
    details, exception with inner exceptions, ids), verbose/debug/warning/information messages.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Position = 0)] [AllowNull()] [object[]]$InputObject)
    $parts = New-Object System.Collections.Generic.List[string]
    foreach ($item in @($InputObject)) {
        if ($null -eq $item) { continue }
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            $parts.Add($item.ToString())
            $parts.Add($item.FullyQualifiedErrorId)
            if ($item.ErrorDetails) { $parts.Add([string]$item.ErrorDetails.Message); $parts.Add([string]$item.ErrorDetails.RecommendedAction) }
            if ($item.Exception) { $parts.Add($item.Exception.ToString()) }
            $parts.Add([string]$item.CategoryInfo)
            $parts.Add([string]$item.TargetObject)
        }
        elseif ($item -is [System.Management.Automation.InformationalRecord]) {
            $parts.Add($item.Message)   # verbose, debug, warning
        }
        elseif ($item -is [System.Management.Automation.InformationRecord]) {
            $parts.Add([string]$item.MessageData)   # Write-Information, Write-Host
            $parts.Add(($item.Tags -join ' '))
        }
        else {
            $parts.Add([string]$item)
            $parts.Add(($item | Format-List -Property * | Out-String -Width 4096))
        }
    }
    return ($parts -join "`n")
}

Export-ModuleMember -Function @(
    'Get-FreeTcpPort'
    'Get-ModuleVersion'
    'Get-BuiltModulePath'
    'Import-BuiltModule'
    'Start-TestSandbox'
    'Stop-TestSandbox'
    'Invoke-SandboxControl'
    'Reset-TestSandbox'
    'Set-TestSandboxManners'
    'Set-SandboxLatency'
    'Add-SandboxFault'
    'Get-SandboxBaleDelivery'
    'Get-SandboxBaleUpload'
    'Get-SandboxRequest'
    'Get-SandboxZadarmaConnection'
    'Send-SandboxZadarmaNotification'
    'Send-SandboxZadarmaCall'
    'Start-ZadarmaWebHost'
    'Wait-ZadarmaWebHost'
    'Write-TestCsv'
    'ConvertTo-SingleQuoted'
    'Get-PowerShellExecutable'
    'Invoke-ChildPowerShell'
    'Invoke-MeasuringPowerShell'
    'Invoke-ExampleScript'
    'Get-MarkdownPowerShellBlock'
    'Get-ReadmeExample'
    'Get-DocsExample'
    'Get-HelpExample'
    'ConvertTo-SearchableText'
)
