# Pester 5 acceptance tests of ConvertFrom-ZadarmaNotification with Zadarma's call events (issue 18): every signed post
# of tests/vectors/zadarma-call-events.json (made by Zadarma's SDK under PHP), and whole calls that the sandbox
# (tests/MessagingTools.Sandbox, Providers/ZadarmaCallPlayer.cs) plays over real HTTP to a web host of the user's own
# (Start-ZadarmaWebHost in tests/Sandbox.psm1: an HttpListener that reads each post with ConvertFrom-ZadarmaNotification
# and answers with ConvertTo-ZadarmaRouteAnswer), the IVR step included. The incoming-call notification without an event
# is tested in tests/Receive-ZadarmaCall.Tests.ps1.

Describe 'ConvertFrom-ZadarmaNotification with call events' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        function New-Credential {
            param([string]$Secret)
            New-Object System.Management.Automation.PSCredential ('key', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        }
        function ConvertTo-FormBody {
            param($Post)
            (@($Post.PSObject.Properties | ForEach-Object { [uri]::EscapeDataString($_.Name) + '=' + [uri]::EscapeDataString([string]$_.Value) }) -join '&')
        }
        function Get-PhpSignature {
            <# base64_encode(hash_hmac('sha1', $Text, $Secret)), computed here: base64 of the hex text, the secret's UTF-8 bytes. #>
            param([string]$Text, [string]$Secret)
            $hmac = New-Object System.Security.Cryptography.HMACSHA1 (, [System.Text.Encoding]::UTF8.GetBytes($Secret))
            $hex = -join ($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') })
            [Convert]::ToBase64String([System.Text.Encoding]::ASCII.GetBytes($hex))
        }
        # The route of the web host: a voice menu for the IVR caller (+7926765432n), the digits' extension after it.
        $MenuRoute = @'
$call = $args[0]
if ($call.Event -eq 'NOTIFY_IVR') { @{ Redirect = 100 + [int]$call.DtmfDigits; CallerName = 'menu ' + $call.DtmfName } }
elseif ($call.Event -eq 'NOTIFY_START' -and $call.CallerId -like '+7926765432*') {
    @{ IvrPlay = 3; IvrSayDigits = '12'; Language = 'en'; WaitDtmf = @{ Timeout = 5; Attempts = 2; MaxDigits = 1; Name = 'menu' } }
}
'@
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    It 'verifies the SDK-signed <name> and rejects it with one signed field changed' -ForEach @(
        Get-Content -LiteralPath (Join-Path $PSScriptRoot 'vectors/zadarma-call-events.json') -Raw -Encoding UTF8 | ConvertFrom-Json | ForEach-Object { @{ name = $_.name; vector = $_ } }
    ) {
        $credential = New-Credential $vector.secret
        $call = ConvertFrom-ZadarmaNotification -Body (ConvertTo-FormBody $vector.post) -Headers @{ Signature = $vector.signature } -Credential $credential -RequireSignature
        $call.Signature | Should -Be 'Verified'
        $call.Event | Should -BeExactly $vector.post.event
        # The signed string is what PHP signed, made here of the fields the event signs.
        $signature = Get-PhpSignature $vector.signed_string $vector.secret
        $signature | Should -BeExactly $vector.signature
        # One field of the signed string changed: refused as forged, with the status to answer.
        $first = @($vector.post.PSObject.Properties | Where-Object { $_.Name -ne 'event' -and $vector.signed_string.Contains([string]$_.Value) -and [string]$_.Value })[0].Name
        $changed = $vector.post.PSObject.Copy()
        $changed.$first = [string]$changed.$first + '1'
        $refused = @()
        $none = ConvertFrom-ZadarmaNotification -Body (ConvertTo-FormBody $changed) -Signature $vector.signature -Credential $credential -RequireSignature -ErrorVariable refused -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNotificationSignatureIsForged,*'
        $refused[0].Exception.HttpStatus | Should -Be 403
    }

    It 'types each event''s fields' {
        $vectors = @(Get-Content -LiteralPath (Join-Path $PSScriptRoot 'vectors/zadarma-call-events.json') -Raw -Encoding UTF8 | ConvertFrom-Json)
        $calls = @($vectors | ForEach-Object { ConvertFrom-ZadarmaNotification -Body (ConvertTo-FormBody $_.post) -UtcOffset '03:00' })
        $byEvent = @{}
        foreach ($call in $calls) { $byEvent[$call.Event] = $call }
        $byEvent['NOTIFY_END'].Duration | Should -Be 125
        $byEvent['NOTIFY_END'].Duration | Should -BeOfType [int]
        $byEvent['NOTIFY_END'].IsRecorded | Should -BeTrue
        $byEvent['NOTIFY_END'].RecordingId | Should -Be '1733479201.1234567'
        $byEvent['NOTIFY_END'].StatusCode | Should -Be 16
        $byEvent['NOTIFY_END'].Disposition | Should -Be 'answered'
        $byEvent['NOTIFY_END'].CallStart | Should -Be ([DateTimeOffset]::new(2026, 12, 6, 10, 0, 1, [TimeSpan]::FromHours(3)))
        $byEvent['NOTIFY_INTERNAL'].Extension | Should -Be '100'
        $byEvent['NOTIFY_ANSWER'].Destination | Should -Be '100'
        $byEvent['NOTIFY_OUT_START'].Extension | Should -Be '101'
        $byEvent['NOTIFY_OUT_START'].CallerId | Should -BeNullOrEmpty
        $byEvent['NOTIFY_OUT_END'].IsRecorded | Should -BeFalse
        $byEvent['NOTIFY_OUT_END'].RecordingId | Should -BeNullOrEmpty
        $byEvent['NOTIFY_RECORD'].PbxCallId | Should -Be 'in_2b5f1c'
        $byEvent['NOTIFY_IVR'].DtmfName | Should -Be 'menu'
        $byEvent['NOTIFY_IVR'].DtmfDigits | Should -Be '2'
        # A host that decodes PHP's arrays gives wait_dtmf as a hashtable: read the same.
        $ivr = ConvertFrom-ZadarmaNotification -Body @{ event = 'NOTIFY_IVR'; call_start = '2026-12-06 10:00:01'; pbx_call_id = 'in_1'; caller_id = '+79261234567'; called_did = '74951234567'; wait_dtmf = @{ name = 'lang'; digits = '07'; default_behaviour = '' } }
        $ivr.DtmfName | Should -Be 'lang'
        $ivr.DtmfDigits | Should -BeExactly '07'
    }

    It 'writes only the events -Event names, and an event it does not know with its fields' {
        $end = 'event=NOTIFY_END&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_1&caller_id=%2B79261234567&called_did=74951234567&internal=100&duration=9&disposition=answered&status_code=16&is_recorded=0&call_id_with_rec='
        $start = 'event=NOTIFY_START&call_start=2026-12-06+10%3A00%3A01&pbx_call_id=in_1&caller_id=%2B79261234567&called_did=74951234567'
        $new = 'event=NOTIFY_VOICEMAIL&pbx_call_id=in_1&file=vm-1.mp3'
        $errors = @()
        $calls = @($end, $start, $new | ConvertFrom-ZadarmaNotification -Event NOTIFY_END, NOTIFY_VOICEMAIL -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        @($calls | ForEach-Object { $_.Event }) | Should -Be @('NOTIFY_END', 'NOTIFY_VOICEMAIL')
        $calls[1].IsKnownEvent | Should -BeFalse
        $calls[1].OtherFields['file'] | Should -Be 'vm-1.mp3'
        $calls[1].PbxCallId | Should -Be 'in_1'
        @(ConvertFrom-ZadarmaNotification $start).Count | Should -Be 1
    }

    It 'reads every event of whole calls the sandbox plays over HTTP, and its answer to START decides the NOTIFY_IVR' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $webHost = Start-ZadarmaWebHost -Prefix $url -Count 12 -Secret $Sandbox.ZadarmaApiSecret -Route $MenuRoute
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call incoming, outgoing, ivr, internal -Digits 1 -WaitMs 20000
        $run = Wait-ZadarmaWebHost $webHost

        $report.echo.ok | Should -BeTrue
        $report.notes | Should -BeNullOrEmpty
        $events = @($report.events)
        @($events | ForEach-Object { $_.status }) | Should -Be (@(200) * 12)
        $run.Refused | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        @($run.Calls | ForEach-Object { $_.Event }) | Should -Be @(
            'NOTIFY_START', 'NOTIFY_INTERNAL', 'NOTIFY_ANSWER', 'NOTIFY_END', 'NOTIFY_RECORD', 'NOTIFY_OUT_START', 'NOTIFY_OUT_END',
            'NOTIFY_START', 'NOTIFY_IVR', 'NOTIFY_START', 'NOTIFY_INTERNAL', 'NOTIFY_END')
        @($run.Calls | Where-Object { $_.Signature -ne 'Verified' }) | Should -BeNullOrEmpty
        # Each post's signed text was the one its event signs, and the host read the fields the sandbox sent.
        for ($i = 0; $i -lt 12; $i++) {
            $events[$i].signature | Should -BeExactly (Get-PhpSignature $events[$i].signedText $Sandbox.ZadarmaApiSecret)
            $run.Calls[$i].PbxCallId | Should -Be $events[$i].fields.pbx_call_id
        }
        # The IVR step: the answer to START held a wait_dtmf named menu; the sandbox then posted the digits under it.
        $events[7].body | Should -BeExactly '{"ivr_play":3,"ivr_saydigits":"12","language":"en","wait_dtmf":{"timeout":5,"attempts":2,"maxdigits":1,"name":"menu"}}'
        $events[8].fields.'wait_dtmf[name]' | Should -Be 'menu'
        $run.Calls[8].DtmfDigits | Should -Be '1'
        $events[8].body | Should -BeExactly '{"redirect":101,"caller_name":"menu menu"}'
        # The internal call: called_did empty, signed over the empty text, accepted.
        $run.Calls[9].CalledDid | Should -BeExactly ''
        $run.Calls[11].Duration | Should -Be 7
    }

    It 'checks a secret of non-ASCII letters as its UTF-8 bytes, over HTTP' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $secret = 'Секрет-رمز-ß'
        $webHost = Start-ZadarmaWebHost -Prefix $url -Count 3 -Secret $secret
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call internal -Secret $secret -WaitMs 20000
        $run = Wait-ZadarmaWebHost $webHost
        @($report.events | ForEach-Object { $_.status }) | Should -Be @(200, 200, 200)
        @($run.Calls | ForEach-Object { $_.Signature }) | Should -Be @('Verified', 'Verified', 'Verified')
        $report.events[0].signature | Should -BeExactly (Get-PhpSignature ('101' + '' + '2026-12-06 10:00:01') $secret)

        # Signed with a secret that only looks the same (its first letter a Latin C): refused. A new port, and the echo
        # check first, which waits until the host listens (without it the call could come before, and get no answer).
        $url = 'http://127.0.0.1:{0}/' -f (Get-FreeTcpPort)
        $webHost = Start-ZadarmaWebHost -Prefix $url -Count 1 -Secret 'Секрет'
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call internal -Secret 'Cекрет' -WaitMs 20000
        $run = Wait-ZadarmaWebHost $webHost
        $report.events[0].status | Should -Be 403
        $run.Refused[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNotificationSignatureIsForged,*'
    }
}
