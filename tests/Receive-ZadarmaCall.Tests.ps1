# Pester 5 acceptance tests of Receive-ZadarmaCall, ConvertFrom-ZadarmaNotification and ConvertTo-ZadarmaRouteAnswer,
# and of the Azure Functions sample (samples/azure-functions/ZadarmaCall/run.ps1). The listener runs in a runspace of
# its own that imports the built module (as a user's job would), while the sandbox (tests/MessagingTools.Sandbox,
# Providers/ZadarmaNotifier.cs) plays Zadarma towards it over real HTTP: the zd_echo check, then form-encoded
# notifications signed as Zadarma's PHP example signs them, some forged, unsigned or malformed.
# Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).

Describe 'Receive-ZadarmaCall' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
        $Secret = $Sandbox.ZadarmaApiSecret
        Add-Type -AssemblyName System.Net.Http

        function Start-Listener {
            <#
            Starts Receive-ZadarmaCall in a new runspace with the built module imported, -Verbose, and the debug stream
            on; -Route is the text of the scriptblock (made in that runspace, where it runs). Returns the handle for
            Wait-Listener.
            #>
            param([hashtable]$Parameters, [string]$Route)
            $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
            $iss.ImportPSModule(@(Get-BuiltModulePath))
            $runspace = [runspacefactory]::CreateRunspace($iss)
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript({
                    param($Parameters, $Route)
                    $DebugPreference = 'Continue'
                    if ($Route) { $Parameters['Route'] = [scriptblock]::Create($Route) }
                    Receive-ZadarmaCall @Parameters -Verbose
                }).AddArgument($Parameters).AddArgument($Route)
            $output = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
            $none = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
            $none.Complete()
            [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Output = $output; Pending = $ps.BeginInvoke($none, $output); Clock = [System.Diagnostics.Stopwatch]::StartNew() }
        }

        function Wait-Listener {
            <# Waits for the listener to end by itself (at most -TimeoutSec) and returns what it wrote to every stream. #>
            param($Listener, [int]$TimeoutSec = 30, [switch]$Stop)
            if ($Stop) { $Listener.PowerShell.Stop() }
            $ended = $Listener.Pending.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec))
            $terminating = $null
            if ($ended) {
                try { $null = $Listener.PowerShell.EndInvoke($Listener.Pending) } catch { $terminating = $_ }
            }
            else {
                $Listener.PowerShell.Stop()
            }
            $streams = $Listener.PowerShell.Streams
            $result = [pscustomobject]@{
                Ended       = $ended
                Seconds     = $Listener.Clock.Elapsed.TotalSeconds
                Output      = @($Listener.Output | ForEach-Object { $_ })
                Errors      = @($streams.Error | ForEach-Object { $_ })
                Verbose     = @($streams.Verbose | ForEach-Object { $_ })
                Debug       = @($streams.Debug | ForEach-Object { $_ })
                Warnings    = @($streams.Warning | ForEach-Object { $_ })
                Terminating = $terminating
            }
            $Listener.PowerShell.Dispose()
            $Listener.Runspace.Dispose()
            $result
        }

        function Get-ErrorId {
            param($Records)
            @($Records | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] })
        }

        function Send-Raw {
            <# One HTTP request; returns Status and Body whatever the status (Invoke-WebRequest throws on 4xx in 5.1). #>
            param([string]$Method, [string]$Uri, [byte[]]$Body, [hashtable]$Headers = @{})
            $client = New-Object System.Net.Http.HttpClient
            try {
                $request = New-Object System.Net.Http.HttpRequestMessage ([System.Net.Http.HttpMethod]::new($Method), $Uri)
                if ($null -ne $Body) {
                    $request.Content = New-Object System.Net.Http.ByteArrayContent (, $Body)
                    $request.Content.Headers.ContentType = 'application/x-www-form-urlencoded'
                }
                foreach ($name in $Headers.Keys) { $null = $request.Headers.TryAddWithoutValidation($name, [string]$Headers[$name]) }
                $response = $client.SendAsync($request).GetAwaiter().GetResult()
                [pscustomobject]@{ Status = [int]$response.StatusCode; Body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult(); Allow = [string]$response.Content.Headers.Allow }
            }
            finally { $client.Dispose() }
        }

        function Get-ZadarmaSignature {
            <# base64_encode(hash_hmac('sha1', caller_id . called_did . call_start, secret)): base64 of the lower-case hex text. #>
            param([string]$CallerId, [string]$CalledDid, [string]$CallStart, [string]$Key)
            $hmac = New-Object System.Security.Cryptography.HMACSHA1 (, [System.Text.Encoding]::UTF8.GetBytes($Key))
            $hash = $hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($CallerId + $CalledDid + $CallStart))
            $hex = -join ($hash | ForEach-Object { $_.ToString('x2') })
            [Convert]::ToBase64String([System.Text.Encoding]::ASCII.GetBytes($hex))
        }

        # The routing the end-to-end test asks for, by the index the sandbox gives each call (caller +7926 1000000+index).
        $RouteByIndex = @'
$index = [int]$_.CallerId.Substring(5) - 1000000
if ($args[0].CallerId -ne $_.CallerId) { throw 'the call is not also $args[0]' }
switch ($index % 5) {
    0 { }
    1 { '100' }
    2 { 'blacklist' }
    3 { @{ Redirect = 'sales'; CallerName = "Caller $index" } }
    4 { [pscustomobject]@{ Redirect = 200; Other = 'ignored' } }
}
'@
        function Get-ExpectedAnswer {
            param([int]$Index)
            switch ($Index % 5) {
                0 { '' }
                1 { '{"redirect":100}' }
                2 { '{"redirect":"blacklist"}' }
                3 { '{"redirect":"sales","caller_name":"Caller ' + $Index + '"}' }
                4 { '{"redirect":200}' }
            }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    It 'answers the echo check and 100 notifications, routes the signed ones as chosen, refuses the others, and stops on -Count' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/zadarma/"
        $forged = 8; $unsigned = 6; $malformed = 6; $signed = 100 - $forged - $unsigned - $malformed
        $listener = Start-Listener -Route $RouteByIndex -Parameters @{
            Prefix = $url; Credential = $Zadarma.Credential; RequireSignature = $true; Count = $signed; Timeout = 120
        }
        $report = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 100 -Forged $forged -Unsigned $unsigned -Malformed $malformed -Seed 7 -WaitMs 20000
        $run = Wait-Listener $listener -TimeoutSec 30

        $report.echo.ok | Should -BeTrue
        $notes = @($report.notifications)
        $notes | Should -HaveCount 100
        foreach ($note in $notes) {
            switch ($note.kind) {
                'signed' {
                    $note.status | Should -Be 200 -Because "notification $($note.index) is signed"
                    $note.body | Should -BeExactly (Get-ExpectedAnswer $note.index) -Because "the route of notification $($note.index)"
                }
                'malformed' { $note.status | Should -Be 400 -Because "notification $($note.index) is no notification" }
                default { $note.status | Should -Be 403 -Because "notification $($note.index) is $($note.kind)" }
            }
        }
        @($notes | Where-Object { $_.kind -eq 'signed' -and $_.body -like '{*' } | ForEach-Object { $_.body | ConvertFrom-Json }) | Should -Not -BeNullOrEmpty

        # It stopped by itself on -Count, after the last notification.
        $run.Ended | Should -BeTrue
        $run.Terminating | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount $signed
        $run.Output[0].PSObject.TypeNames[0] | Should -Be 'MessagingTools.Core.Providers.Zadarma.Calls.ZadarmaCall'
        foreach ($call in $run.Output) {
            $index = [int]$call.CallerId.Substring(5) - 1000000
            $call.Signature | Should -Be 'Verified'
            $call.Answer | Should -BeExactly (Get-ExpectedAnswer $index)
            $call.OtherFields['pbx_call_id'] | Should -Be "in_sandbox_$index"
            $call.CallStartField | Should -Be $(if ($index % 3 -eq 2) { 'callstart' } else { 'call_start' })
            $call.RouteErrorId | Should -BeNullOrEmpty
        }
        @($run.Output | Where-Object { $_.Route.IsBlacklist }).Count | Should -Be @($notes | Where-Object { $_.kind -eq 'signed' -and $_.index % 5 -eq 2 }).Count
        $ids = Get-ErrorId $run.Errors
        @($ids | Where-Object { $_ -eq 'ZadarmaNotificationSignatureIsForged' }).Count | Should -Be $forged
        @($ids | Where-Object { $_ -eq 'ZadarmaNotificationIsUnsigned' }).Count | Should -Be $unsigned
        @($ids | Where-Object { $_ -like 'ZadarmaNotificationIs*' -and $_ -ne 'ZadarmaNotificationIsUnsigned' }).Count | Should -Be $malformed
        $ids.Count | Should -Be ($forged + $unsigned + $malformed)
        ($run.Verbose | Out-String) | Should -BeLike "*Answered the address check*'$($report.echo.expected)'*"

        # No secret in any stream, the objects and their CSV included.
        $csv = Join-Path $TestDrive 'calls.csv'
        $run.Output | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $csv)
        $rows | Should -HaveCount $signed
        $rows[0].PSObject.Properties.Name | Should -Contain 'Route'
        $rows[0].PSObject.Properties.Name | Should -Contain 'CallerId'
        $text = (ConvertTo-SearchableText ($run.Output + $run.Errors + $run.Verbose + $run.Debug + $run.Warnings)) + (Get-Content -LiteralPath $csv -Raw)
        $text | Should -Not -BeLike "*$Secret*"
    }

    It 'gives default routing and an error when the route throws, returns no route, or is too slow, and keeps serving' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        # In call order: throws, returns two objects, sleeps past -RouteTimeoutSec, then a good route.
        $route = @'
$global:calls++
switch ($global:calls) {
    1 { throw 'no route today' }
    2 { 'one'; 'two' }
    3 { Start-Sleep -Seconds 3; '100' }
    default { '300' }
}
'@
        $listener = Start-Listener -Route $route -Parameters @{ Prefix = $url; Count = 4; RouteTimeoutSec = 1; Timeout = 60 }
        $first = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 3 -WaitMs 20000
        Start-Sleep -Seconds 3   # the slow route ends before the last call comes
        $last = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 1 -NoEcho
        $run = Wait-Listener $listener -TimeoutSec 30

        @($first.notifications | ForEach-Object { $_.status }) | Should -Be @(200, 200, 200)
        @($first.notifications | ForEach-Object { $_.body }) | Should -Be @('', '', '')
        $last.notifications[0].status | Should -Be 200
        $last.notifications[0].body | Should -BeExactly '{"redirect":300}'

        $run.Ended | Should -BeTrue
        $run.Output | Should -HaveCount 4
        @($run.Output | ForEach-Object { $_.RouteErrorId }) | Should -Be @('ZadarmaRouteFailed', 'ZadarmaRouteFailed', 'ZadarmaRouteTimedOut', $null)
        $ids = Get-ErrorId $run.Errors
        $ids | Should -Be @('ZadarmaRouteFailed', 'ZadarmaRouteFailed', 'ZadarmaRouteTimedOut', 'ZadarmaRouteArrivedLate')
        $run.Errors[0].ToString() | Should -BeLike '*no route today*'
        $run.Errors[1].ToString() | Should -BeLike '*2 objects*'
        $run.Errors[3].ToString() | Should -BeLike '*redirect 100*'
        $run.Errors[0].TargetObject.CallerId | Should -Be '+79261000000'
    }

    It 'answers a wrong method with 405, an oversized body with 413, an address not allowed with 403, and goes on' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $listener = Start-Listener -Parameters @{ Prefix = $url; Count = 1; MaxBodyBytes = 256; Timeout = 60 }
        $echo = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 0 -WaitMs 20000
        $put = Send-Raw -Method PUT -Uri $url -Body ([System.Text.Encoding]::ASCII.GetBytes('caller_id=1'))
        $get = Send-Raw -Method GET -Uri ($url + '?other=1')
        $large = Send-Raw -Method POST -Uri $url -Body ([System.Text.Encoding]::ASCII.GetBytes('caller_id=' + ('9' * 1000)))
        $report = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 1 -NoEcho
        $run = Wait-Listener $listener -TimeoutSec 30

        $echo.echo.ok | Should -BeTrue
        $put.Status | Should -Be 405
        $put.Allow | Should -BeLike '*POST*'
        $get.Status | Should -Be 405
        $large.Status | Should -Be 413
        $report.notifications[0].status | Should -Be 200
        $run.Ended | Should -BeTrue
        $run.Output | Should -HaveCount 1
        $run.Output[0].Signature | Should -Be 'NotChecked'
        Get-ErrorId $run.Errors | Should -Be @('ZadarmaNotificationMethodIsNotAllowed', 'ZadarmaNotificationMethodIsNotAllowed', 'ZadarmaNotificationIsTooLarge')
        $run.Errors[0].TargetObject | Should -BeLike 'PUT / from 127.0.0.1'

        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $listener = Start-Listener -Parameters @{ Prefix = $url; AllowedAddress = '185.45.152.0/24'; Timeout = 3 }
        $refused = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 1 -WaitMs 20000
        $run = Wait-Listener $listener -TimeoutSec 30
        $refused.echo.status | Should -Be 403
        $refused.notifications[0].status | Should -Be 403
        $run.Ended | Should -BeTrue
        $run.Output | Should -HaveCount 0
        Get-ErrorId $run.Errors | Should -Be @('ZadarmaNotificationAddressIsNotAllowed', 'ZadarmaNotificationAddressIsNotAllowed')
    }

    It 'stops at once on Ctrl+C and frees its port' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $listener = Start-Listener -Route '"never called"' -Parameters @{ Prefix = $url }
        $null = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 0 -WaitMs 20000   # it is listening
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Wait-Listener $listener -Stop -TimeoutSec 10
        $run.Ended | Should -BeTrue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $run.Output | Should -HaveCount 0
        # The port is free again: a new listener takes it and serves.
        $again = Start-Listener -Parameters @{ Prefix = $url; Count = 1; Timeout = 30 }
        $report = Send-SandboxZadarmaNotification $Sandbox -Url $url -Count 1 -WaitMs 20000
        $second = Wait-Listener $again -TimeoutSec 30
        $report.notifications[0].status | Should -Be 200
        $second.Output | Should -HaveCount 1
    }

    It 'takes every event of whole calls, routes only START and IVR, and its answer to START decides the NOTIFY_IVR' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/zadarma/"
        $route = @'
if ($_.Event -eq 'NOTIFY_IVR') { @{ Redirect = 100 + [int]$_.DtmfDigits; CallerName = $_.DtmfName } }
elseif ($_.CallerId -like '+7926765432*') { @{ IvrPlay = 3; WaitDtmf = @{ Timeout = 5; MaxDigits = 1; Name = 'menu' } } }
else { throw "routed $($_.Event) of $($_.CallerId)" }
'@
        $listener = Start-Listener -Route $route -Parameters @{ Prefix = $url; Credential = $Zadarma.Credential; RequireSignature = $true; Count = 12; Timeout = 60 }
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call incoming, outgoing, ivr, internal -Digits 2 -WaitMs 20000
        $run = Wait-Listener $listener -TimeoutSec 30

        $report.echo.ok | Should -BeTrue
        $report.notes | Should -BeNullOrEmpty
        $events = @($report.events)
        @($events | ForEach-Object { $_.status }) | Should -Be (@(200) * 12)
        $run.Ended | Should -BeTrue
        $run.Terminating | Should -BeNullOrEmpty
        @($run.Output | ForEach-Object { $_.Event }) | Should -Be @(
            'NOTIFY_START', 'NOTIFY_INTERNAL', 'NOTIFY_ANSWER', 'NOTIFY_END', 'NOTIFY_RECORD', 'NOTIFY_OUT_START', 'NOTIFY_OUT_END',
            'NOTIFY_START', 'NOTIFY_IVR', 'NOTIFY_START', 'NOTIFY_INTERNAL', 'NOTIFY_END')
        @($run.Output | Where-Object { $_.Signature -ne 'Verified' }) | Should -BeNullOrEmpty
        # Only the STARTs and the IVR ran the route: the two other STARTs threw (default routing and an error each).
        Get-ErrorId $run.Errors | Should -Be @('ZadarmaRouteFailed', 'ZadarmaRouteFailed')
        $run.Errors[0].ToString() | Should -BeLike '*routed NOTIFY_START of +79261234561*'
        $run.Errors[1].ToString() | Should -BeLike '*routed NOTIFY_START of 101*'
        foreach ($i in 1..6 + 10..11) { $events[$i].body | Should -BeExactly '' -Because "$($events[$i].event) cannot steer the call" }
        # The IVR step: START answered with a wait_dtmf, the sandbox pressed 2 under its name, and the route used the digits.
        $events[7].body | Should -BeExactly '{"ivr_play":3,"wait_dtmf":{"timeout":5,"maxdigits":1,"name":"menu"}}'
        $events[8].fields.'wait_dtmf[name]' | Should -Be 'menu'
        $events[8].body | Should -BeExactly '{"redirect":102,"caller_name":"menu"}'
        $run.Output[8].DtmfDigits | Should -Be '2'
        $run.Output[8].Answer | Should -BeExactly $events[8].body
        # The typed fields, as the sandbox posted them.
        $end = $run.Output[3]
        ($end.Duration, $end.Disposition, $end.StatusCode, $end.IsRecorded, $end.Extension) | Should -Be @(125, 'answered', 16, $true, '100')
        $end.RecordingId | Should -Be $events[3].fields.call_id_with_rec
        $run.Output[4].RecordingId | Should -Be $end.RecordingId
        $run.Output[4].PbxCallId | Should -Be $end.PbxCallId
        ($run.Output[6].Destination, $run.Output[6].Extension, $run.Output[6].IsRecorded, $run.Output[6].RecordingId) | Should -Be @('442037691881', '101', $false, $null)
        $run.Output[9].CalledDid | Should -BeExactly ''
        # The view: each event on one line of at most 80 characters, its name without NOTIFY_.
        $table = @(($run.Output | Out-String -Width 80) -split '\r?\n' | Where-Object { $_ -match 'OUT_START|INTERNAL|RECORD' })
        $table.Count | Should -Be 4
        (ConvertTo-SearchableText ($run.Output + $run.Errors + $run.Verbose + $run.Debug)) | Should -Not -BeLike "*$Secret*"
    }

    It 'writes and counts only the events -Event names, and answers the others' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $listener = Start-Listener -Route '"never for these events"' -Parameters @{ Prefix = $url; Credential = $Zadarma.Credential; Event = @('NOTIFY_END', 'NOTIFY_RECORD'); Count = 2; Timeout = 60 }
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call incoming, outgoing -WaitMs 20000
        $run = Wait-Listener $listener -TimeoutSec 30
        $run.Ended | Should -BeTrue
        @($run.Output | ForEach-Object { $_.Event }) | Should -Be @('NOTIFY_END', 'NOTIFY_RECORD')
        # -Count 2 stopped it after NOTIFY_RECORD: the events before were answered (empty: not asked for, not routed). The
        # outgoing call's events come right after: one that arrives while the listener closes is answered and not
        # written (a loaded machine does that), one after it finds no one.
        $statuses = @($report.events | ForEach-Object { $_.status })
        $statuses[0..4] | Should -Be @(200, 200, 200, 200, 200)
        foreach ($late in $statuses[5..6]) { $late | Should -BeIn @(0, 200) }
        @($report.events | Select-Object -First 5 | ForEach-Object { $_.body }) | Should -Be @('', '', '', '', '')
        $run.Errors | Should -BeNullOrEmpty
        @($run.Verbose | Where-Object { $_.Message -like '*not one of -Event*' }).Count | Should -Be 3
    }

    It 'runs the call-log example of docs/zadarma.md: a CSV of the calls that ended' {
        $blocks = @(Get-DocsExample | Where-Object { $_.Page -eq 'zadarma' })
        $example = @($blocks | Where-Object { $_.Code -like '*call-log.csv*' })
        $example | Should -HaveCount 1
        $work = Join-Path $TestDrive 'call-log'
        $null = New-Item -ItemType Directory -Path $work -Force
        $port = Get-FreeTcpPort
        # As the page runs: its first block sets the credential; the sandbox's port and a free listener port replace 5080 and 8080.
        $run = @($blocks[0], $example[0]) | ForEach-Object {
            @{ Name = $_.Name; Code = $_.Code.Replace('http://127.0.0.1:5080/', $Sandbox.BaseUri).Replace(':8080/', ":$port/") }
        }
        $results = @(Invoke-ExampleScript -Sandbox $Sandbox -Example $run -WorkingDirectory $work)
        $results[1].Terminating | Should -BeNullOrEmpty
        $results[1].Unexpected | Should -BeNullOrEmpty
        $rows = @(Import-Csv -LiteralPath (Join-Path $work 'call-log.csv'))
        $rows | Should -HaveCount 2
        @($rows | ForEach-Object { $_.Event }) | Should -Be @('NOTIFY_END', 'NOTIFY_OUT_END')
        @($rows | ForEach-Object { $_.Duration }) | Should -Be @('125', '42')
        @($rows | ForEach-Object { $_.IsRecorded }) | Should -Be @('True', 'False')
        $rows[0].RecordingId | Should -Not -BeNullOrEmpty
        $rows[1].Disposition | Should -Be 'busy'
        $results[1].Output | Should -BeLike '*NOTIFY_OUT_END*442037691881*101*42*busy*'
    }

    It 'stops for a setting that cannot work: -RequireSignature without a secret, a taken prefix, a bad address' {
        $saved = $env:MESSAGINGTOOLS_ZADARMA_API_KEY, $env:MESSAGINGTOOLS_ZADARMA_API_SECRET
        $env:MESSAGINGTOOLS_ZADARMA_API_KEY = $null; $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = $null
        try {
            { Receive-ZadarmaCall -Port 1 -RequireSignature -Timeout 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ZadarmaCredentialIsMissing,*'
        }
        finally { $env:MESSAGINGTOOLS_ZADARMA_API_KEY, $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = $saved }
        { Receive-ZadarmaCall -Prefix 'http://127.0.0.1:1/' -AllowedAddress 'not-an-address' -Timeout 1 } | Should -Throw -ErrorId 'ZadarmaAllowedAddressIsInvalid,*'
        { Receive-ZadarmaCall -Prefix 'ftp://127.0.0.1:1/' -Timeout 1 } | Should -Throw -ErrorId 'ZadarmaListenerCouldNotStart,*'
    }
}

Describe 'ConvertFrom-ZadarmaNotification and ConvertTo-ZadarmaRouteAnswer' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Vectors = Get-Content -LiteralPath (Join-Path $PSScriptRoot 'vectors/zadarma-notification-signatures.json') -Raw -Encoding UTF8 | ConvertFrom-Json
        function New-Credential {
            param([string]$Secret)
            New-Object System.Management.Automation.PSCredential ('key', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        }
        function ConvertTo-FormBody {
            param($Post)
            (@($Post.PSObject.Properties | ForEach-Object { [uri]::EscapeDataString($_.Name) + '=' + [uri]::EscapeDataString([string]$_.Value) }) -join '&')
        }
    }

    It 'verifies the shared signature vector <name> from a form body and from a hashtable of fields' -ForEach @(
        Get-Content -LiteralPath (Join-Path $PSScriptRoot 'vectors/zadarma-notification-signatures.json') -Raw -Encoding UTF8 | ConvertFrom-Json | ForEach-Object { @{ name = $_.name; vector = $_ } }
    ) {
        $credential = New-Credential $vector.secret
        $call = ConvertFrom-ZadarmaNotification -Body (ConvertTo-FormBody $vector.post) -Headers @{ signature = $vector.signature } -Credential $credential -RequireSignature
        $call.Signature | Should -Be 'Verified'
        $call.CallerId | Should -BeExactly ([string]$vector.post.caller_id)
        $fields = @{}
        foreach ($p in $vector.post.PSObject.Properties) { $fields[$p.Name] = [string]$p.Value }
        (ConvertFrom-ZadarmaNotification -Body $fields -Signature $vector.signature -Credential $credential).Signature | Should -Be 'Verified'
        (ConvertFrom-ZadarmaNotification -Body $fields -Signature 'Zm9yZ2Vk' -Credential $credential).Signature | Should -Be 'Forged'
    }

    It 'refuses a forged, an unsigned and a malformed body with errors that carry the status to answer' {
        $credential = New-Credential 'sandbox-zadarma-secret'
        $body = 'caller_id=%2B79261234567&called_did=74951234567&callstart=2026-11-30+09%3A00%3A00&pbx_call_id=in_1'
        $errors = @()
        $calls = @(
            ConvertFrom-ZadarmaNotification -Body $body -Headers @{ Signature = 'Zm9yZ2Vk' } -Credential $credential -RequireSignature -ErrorVariable +errors -ErrorAction SilentlyContinue
            ConvertFrom-ZadarmaNotification -Body $body -Credential $credential -RequireSignature -ErrorVariable +errors -ErrorAction SilentlyContinue
            ConvertFrom-ZadarmaNotification -Body 'caller_id=1' -ErrorVariable +errors -ErrorAction SilentlyContinue
            ConvertFrom-ZadarmaNotification -Body 42 -ErrorVariable +errors -ErrorAction SilentlyContinue
        )
        $calls | Should -HaveCount 0
        @($errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @(
            'ZadarmaNotificationSignatureIsForged', 'ZadarmaNotificationIsUnsigned', 'ZadarmaNotificationIsMissingAField', 'ZadarmaNotificationIsMalformed')
        @($errors | ForEach-Object { $_.Exception.HttpStatus }) | Should -Be @(403, 403, 400, 400)
        (ConvertTo-SearchableText $errors) | Should -Not -BeLike '*sandbox-zadarma-secret*'

        $call = ConvertFrom-ZadarmaNotification $body -UtcOffset '03:00' -RemoteAddress '185.45.152.42'
        $call.Signature | Should -Be 'NotChecked'
        $call.CallStartField | Should -Be 'callstart'
        $call.CallStart | Should -Be ([DateTimeOffset]::new(2026, 11, 30, 9, 0, 0, [TimeSpan]::FromHours(3)))
        $call.OtherFields['pbx_call_id'] | Should -Be 'in_1'
        $call.RemoteAddress | Should -Be '185.45.152.42'
    }

    It 'makes the answer of a route: <Case>' -ForEach @(
        @{ Case = 'nothing'; Run = { ConvertTo-ZadarmaRouteAnswer }; Expected = '' }
        @{ Case = 'an extension'; Run = { ConvertTo-ZadarmaRouteAnswer -Redirect 100 }; Expected = '{"redirect":100}' }
        @{ Case = 'a scenario and a Persian name'; Run = { ConvertTo-ZadarmaRouteAnswer -Redirect 'sales' -CallerName 'مشتری "ویژه"' }; Expected = '{"redirect":"sales","caller_name":"مشتری \"ویژه\""}' }
        @{ Case = 'blacklist'; Run = { ConvertTo-ZadarmaRouteAnswer -Blacklist }; Expected = '{"redirect":"blacklist"}' }
        @{ Case = 'a leading zero kept as text'; Run = { ConvertTo-ZadarmaRouteAnswer -Redirect '0100' }; Expected = '{"redirect":"0100"}' }
        @{ Case = 'a piped hashtable'; Run = { @{ redirect = 1; caller_name = 'Anna' } | ConvertTo-ZadarmaRouteAnswer }; Expected = '{"redirect":1,"caller_name":"Anna"}' }
        @{ Case = 'a piped row'; Run = { [pscustomobject]@{ CallerName = 'Bob'; Phone = 'x' } | ConvertTo-ZadarmaRouteAnswer }; Expected = '{"caller_name":"Bob"}' }
        @{ Case = 'a piped $null'; Run = { $null | ConvertTo-ZadarmaRouteAnswer }; Expected = '' }
    ) {
        $answers = @(& $Run)
        $answers | Should -HaveCount 1
        $answers[0] | Should -BeExactly $Expected
    }

    It 'refuses what is no route, one value at a time' {
        $bad = @()
        $answers = @(@{ Redirct = 1 }, '100', $true | ConvertTo-ZadarmaRouteAnswer -ErrorVariable bad -ErrorAction SilentlyContinue)
        $answers | Should -Be @('{"redirect":100}')
        @($bad | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be @('ZadarmaRouteIsNotARoute', 'ZadarmaRouteIsNotARoute')
        $bad[0].ToString() | Should -BeLike "*'Redirct'*"
        { ConvertTo-ZadarmaRouteAnswer -Redirect 100 -Blacklist -ErrorAction Stop } | Should -Throw -ErrorId 'ZadarmaRouteIsNotARoute,*'
        { ConvertTo-ZadarmaRouteAnswer -Redirect "two`nlines" -ErrorAction Stop } | Should -Throw -ErrorId 'ZadarmaRouteIsInvalid,*'
    }
}

Describe 'The Azure Functions sample (samples/azure-functions/ZadarmaCall/run.ps1)' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $RunScript = Join-Path (Split-Path -Parent $PSScriptRoot) 'samples/azure-functions/ZadarmaCall/run.ps1'
        # What the Functions PowerShell worker gives the script: the response type and Push-OutputBinding.
        if (-not ('HttpResponseContext' -as [type])) {
            Add-Type -TypeDefinition @'
public class HttpResponseContext
{
    public object StatusCode { get; set; }
    public object Body { get; set; }
    public string ContentType { get; set; }
    public System.Collections.IDictionary Headers { get; set; }
}
'@
        }
        $Pushed = @{}
        function Push-OutputBinding {
            param([string]$Name, $Value)
            $Pushed[$Name] = $Value
        }
        function Invoke-Function {
            <# Runs run.ps1 with a $Request as the worker makes it, and returns the Response it pushed. #>
            param([string]$Method, [hashtable]$Query = @{}, $Body = $null, [hashtable]$Headers = @{})
            $Pushed.Clear()
            $request = [pscustomobject]@{ Method = $Method; Url = 'https://example.azurewebsites.net/api/ZadarmaCall'; Query = $Query; Headers = $Headers; Body = $Body }
            $null = & $RunScript -Request $request -TriggerMetadata @{} 3>$null 6>$null
            $Pushed['Response']
        }
        function Get-ZadarmaSignature {
            param([string]$Text, [string]$Key)
            $hmac = New-Object System.Security.Cryptography.HMACSHA1 (, [System.Text.Encoding]::UTF8.GetBytes($Key))
            $hex = -join ($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') })
            [Convert]::ToBase64String([System.Text.Encoding]::ASCII.GetBytes($hex))
        }
        $Saved = $env:MESSAGINGTOOLS_ZADARMA_API_KEY, $env:MESSAGINGTOOLS_ZADARMA_API_SECRET
        $env:MESSAGINGTOOLS_ZADARMA_API_KEY = 'function-key'
        $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = 'function-secret'
    }

    AfterAll {
        $env:MESSAGINGTOOLS_ZADARMA_API_KEY, $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = $Saved
    }

    It 'answers the address check' {
        $response = Invoke-Function -Method GET -Query @{ zd_echo = 'abc123' }
        $response.StatusCode | Should -Be 200
        $response.Body | Should -BeExactly 'abc123'
        (Invoke-Function -Method GET).StatusCode | Should -Be 405
    }

    It 'routes a signed call, leaves another to the PBX, and refuses forged, unsigned and malformed ones' {
        $moscow = 'caller_id=%2B79261234567&called_did=74951234567&call_start=2026-11-30+09%3A00%3A00'
        $signature = Get-ZadarmaSignature ('+79261234567' + '74951234567' + '2026-11-30 09:00:00') -Key 'function-secret'
        $routed = Invoke-Function -Method POST -Body $moscow -Headers @{ signature = $signature }
        $routed.StatusCode | Should -Be 200
        $routed.ContentType | Should -Be 'application/json'
        $routed.Body | Should -BeExactly '{"redirect":100,"caller_name":"Moscow mobile"}'

        $london = Get-ZadarmaSignature ('442037691881' + '74951234567' + '2026-11-30 09:00:00') -Key 'function-secret'
        $plain = Invoke-Function -Method POST -Body @{ caller_id = '442037691881'; called_did = '74951234567'; call_start = '2026-11-30 09:00:00' } -Headers @{ Signature = $london }
        $plain.StatusCode | Should -Be 200
        $plain.Body | Should -BeExactly ''

        $forged = Invoke-Function -Method POST -Body $moscow -Headers @{ signature = 'Zm9yZ2Vk' }
        $forged.StatusCode | Should -Be 403
        $forged.Body | Should -Be 'ZadarmaNotificationSignatureIsForged'
        (Invoke-Function -Method POST -Body $moscow).StatusCode | Should -Be 403
        (Invoke-Function -Method POST -Body '{"caller_id":"1"}').StatusCode | Should -Be 400
        ($forged.Body + $routed.Body) | Should -Not -BeLike '*function-secret*'

        # A call event: NOTIFY_START of the same caller is routed; its NOTIFY_END (same signed text) is answered empty.
        $start = 'event=NOTIFY_START&pbx_call_id=in_1&' + $moscow
        (Invoke-Function -Method POST -Body $start -Headers @{ Signature = $signature }).Body | Should -BeExactly '{"redirect":100,"caller_name":"Moscow mobile"}'
        $end = Invoke-Function -Method POST -Body ('event=NOTIFY_END&pbx_call_id=in_1&internal=100&duration=5&disposition=answered&status_code=16&is_recorded=0&call_id_with_rec=&' + $moscow) -Headers @{ Signature = $signature }
        $end.StatusCode | Should -Be 200
        $end.Body | Should -BeExactly ''
    }
}
