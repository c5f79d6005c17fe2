# Pester 5 acceptance tests of ConvertTo-ZadarmaRouteAnswer's IVR answers (issue 18): every member of Zadarma's answer
# vocabulary from parameters and from the hashtables a route returns, bad values refused with the member named, and the
# answers used for real: the sandbox (Providers/ZadarmaCallPlayer.cs), playing Zadarma's PBX over HTTP, reads the answer
# to NOTIFY_START as Zadarma does and posts the NOTIFY_IVR its wait_dtmf asks for. The redirect and caller name alone
# are tested in tests/Receive-ZadarmaCall.Tests.ps1.

Describe 'ConvertTo-ZadarmaRouteAnswer: IVR answers' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    It 'makes the answer: <Case>' -ForEach @(
        @{ Case = 'play a file'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrPlay 3 }; Expected = '{"ivr_play":3}' }
        @{ Case = 'say digits in English'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrSayDigits '0042' -Language en }; Expected = '{"ivr_saydigits":"0042","language":"en"}' }
        @{ Case = 'say a number in Ukrainian'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrSayNumber 125 -Language UA }; Expected = '{"ivr_saynumber":"125","language":"ua"}' }
        @{ Case = 'say a popular number'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrSayPopular 88005553535 -Language ru }; Expected = '{"ivr_saypopular":"88005553535","language":"ru"}' }
        @{ Case = 'wait for digits'; Run = { ConvertTo-ZadarmaRouteAnswer -WaitDtmf @{ Timeout = 5; Attempts = 2; MaxDigits = 1; Name = 'menu'; Default = 1 } }
            Expected = '{"wait_dtmf":{"timeout":5,"attempts":2,"maxdigits":1,"name":"menu","default":1}}' }
        @{ Case = 'redirect with a return timeout and a rewritten number'; Run = { ConvertTo-ZadarmaRouteAnswer -Redirect 100 -ReturnTimeout 20 -RewriteForwardNumber '+442037691881' }
            Expected = '{"redirect":100,"return_timeout":20,"rewrite_forward_number":"+442037691881"}' }
        @{ Case = 'hang up'; Run = { ConvertTo-ZadarmaRouteAnswer -Hangup }; Expected = '{"hangup":1}' }
        @{ Case = 'a hashtable with Zadarma''s names'; Run = { @{ ivr_play = 'hello'; wait_dtmf = @{ timeout = '3'; name = 'x' }; caller_name = 'Anna' } | ConvertTo-ZadarmaRouteAnswer }
            Expected = '{"ivr_play":"hello","wait_dtmf":{"timeout":3,"name":"x"},"caller_name":"Anna"}' }
        @{ Case = 'a CSV row'; Run = { 'IvrSayNumber,Language,Hangup', '7,de,' | ConvertFrom-Csv | ConvertTo-ZadarmaRouteAnswer }; Expected = '{"ivr_saynumber":"7","language":"de"}' }
        @{ Case = 'a hashtable that hangs up'; Run = { @{ Hangup = 'yes'; CallerName = 'spam' } | ConvertTo-ZadarmaRouteAnswer }; Expected = '{"hangup":1,"caller_name":"spam"}' }
    ) {
        $answers = @(& $Run)
        $answers | Should -HaveCount 1
        $answers[0] | Should -BeExactly $Expected
        $null = $answers[0] | ConvertFrom-Json    # valid JSON
    }

    It 'refuses a bad value with the member named: <Case>' -ForEach @(
        @{ Case = 'a language not in Zadarma''s list'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrSayDigits 12 -Language it -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'Language' }
        @{ Case = 'a rewritten number of 4 digits'; Run = { ConvertTo-ZadarmaRouteAnswer -Redirect 100 -RewriteForwardNumber '+1234' -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'RewriteForwardNumber' }
        @{ Case = 'a rewritten number with letters'; Run = { @{ Redirect = 100; rewrite_forward_number = '4420x7691881' } | ConvertTo-ZadarmaRouteAnswer -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'RewriteForwardNumber' }
        @{ Case = 'a return timeout without a redirect'; Run = { ConvertTo-ZadarmaRouteAnswer -ReturnTimeout 20 -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'ReturnTimeout' }
        @{ Case = 'digits that are not digits'; Run = { ConvertTo-ZadarmaRouteAnswer -IvrSayDigits '12a' -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'IvrSayDigits' }
        @{ Case = 'a wait of no seconds'; Run = { ConvertTo-ZadarmaRouteAnswer -WaitDtmf @{ Timeout = 0 } -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'WaitDtmf.Timeout' }
        @{ Case = 'a misspelt wait key'; Run = { ConvertTo-ZadarmaRouteAnswer -WaitDtmf @{ MaxDigit = 1 } -ErrorAction Stop }; Id = 'ZadarmaRouteIsNotARoute'; Field = 'WaitDtmf' }
        @{ Case = 'hang up and redirect'; Run = { @{ Hangup = 1; Redirect = 100 } | ConvertTo-ZadarmaRouteAnswer -ErrorAction Stop }; Id = 'ZadarmaRouteIsInvalid'; Field = 'Hangup' }
    ) {
        $thrown = $null
        try { & $Run } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $thrown.Exception.Field | Should -Be $Field
        $thrown.ToString() | Should -BeLike "*$($Field.Split('.')[-1])*"
    }

    It 'completes -Language with Zadarma''s languages' {
        $line = 'ConvertTo-ZadarmaRouteAnswer -IvrSayDigits 1 -Language '
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($completion.CompletionMatches | ForEach-Object { $_.CompletionText }) | Should -Be @('ru', 'ua', 'en', 'es', 'pl', 'fr', 'de')
    }

    It 'is the answer Zadarma acts on: the sandbox posts the NOTIFY_IVR its wait_dtmf asks for, and none for a refused route' {
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        # What a user's web host answers: the JSON this cmdlet makes from a route.
        $webHost = Start-ZadarmaWebHost -Prefix $url -Count 2 -Secret $Sandbox.ZadarmaApiSecret -Route @'
$call = $args[0]
if ($call.Event -eq 'NOTIFY_START') { @{ IvrSayNumber = 42; Language = 'fr'; WaitDtmf = @{ MaxDigits = 2; Name = 'account' } } }
else { @{ Hangup = $true } }
'@
        $report = Send-SandboxZadarmaCall $Sandbox -Url $url -Call ivr -Digits 77 -WaitMs 20000
        $run = Wait-ZadarmaWebHost $webHost
        $report.notes | Should -BeNullOrEmpty
        @($report.events | ForEach-Object { $_.event }) | Should -Be @('NOTIFY_START', 'NOTIFY_IVR')
        $report.events[0].body | Should -BeExactly '{"ivr_saynumber":"42","language":"fr","wait_dtmf":{"maxdigits":2,"name":"account"}}'
        $report.events[1].fields.'wait_dtmf[name]' | Should -Be 'account'
        $report.events[1].body | Should -BeExactly '{"hangup":1}'
        $run.Calls[1].DtmfDigits | Should -Be '77'

        # Through Receive-ZadarmaCall: a route with a language Zadarma does not speak is refused, the call gets the PBX's
        # routing (an empty answer), and the sandbox, finding no wait_dtmf, posts no NOTIFY_IVR.
        $port = Get-FreeTcpPort
        $url = "http://127.0.0.1:$port/"
        $zadarma = [powershell]::Create().AddScript({
                param($Uri, $Url)
                Invoke-RestMethod -Method Post -Uri $Uri -ContentType 'application/json' -TimeoutSec 60 `
                    -Body (ConvertTo-Json -Compress @{ url = $Url; calls = @('ivr'); waitMs = 20000 })
            }).AddArgument($Sandbox.BaseUri + '_sandbox/zadarma/play-call').AddArgument($url)
        $pending = $zadarma.BeginInvoke()
        $errors = @()
        $calls = @(Receive-ZadarmaCall -Prefix $url -Count 1 -Timeout 30 -ErrorVariable errors -ErrorAction SilentlyContinue -Route {
                @{ IvrSayDigits = '12'; Language = 'klingon'; WaitDtmf = @{ Name = 'menu' } } })
        $played = @($zadarma.EndInvoke($pending))[0]
        $zadarma.Dispose()
        $calls | Should -HaveCount 1
        $calls[0].RouteErrorId | Should -Be 'ZadarmaRouteFailed'
        $errors[0].ToString() | Should -BeLike '*Language*klingon*'
        @($played.events).Count | Should -Be 1
        $played.events[0].body | Should -BeExactly ''
        $played.notes | Should -BeLike '*no wait_dtmf*'
    }
}
