# Pester 5 acceptance tests of Invoke-ZadarmaRequest against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Invoke-ZadarmaRequest' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-ZadarmaRequestLog([string]$PathEnd) {
            @(Get-SandboxRequest $Sandbox) | Where-Object { $_.path.EndsWith($PathEnd) }
        }

        # The form body as sent.
        function Get-ZadarmaRequestBody([string]$PathEnd) {
            @(Get-ZadarmaRequestLog $PathEnd) | ForEach-Object { [string]$_.body }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'reads any method as an object' {
        $answer = Invoke-ZadarmaRequest /v1/info/balance/ @Zadarma
        $answer.status | Should -Be 'success'
        $answer.balance | Should -Be 25.47
        $answer.balance | Should -BeOfType [decimal]
        $answer | Should -BeOfType [pscustomobject]
    }

    It 'gives hashtables with -AsHashtable' {
        $answer = Invoke-ZadarmaRequest /v1/sip/ -AsHashtable @Zadarma
        $answer | Should -BeOfType [hashtable]
        $answer['sips'][1]['display_name'] | Should -Be 'Sales'
    }

    It 'signs the parameters of a GET as it sends them in the query' {
        $answer = Invoke-ZadarmaRequest -Path /v1/info/price/ -Parameter @{ number = '442037691880'; caller_id = '79001234567' } @Zadarma
        $answer.info.prefix | Should -Be '4420'
        (Get-ZadarmaRequestLog '/v1/info/price/').query | Should -Be '?caller_id=79001234567&number=442037691880'
    }

    It 'posts a list as PHP writes it, and the sandbox verifies its signature' {
        $answer = Invoke-ZadarmaRequest /v1/info/number_lookup/ Post @{ numbers = @('79001234567', '442037691880') } @Zadarma
        $answer.info.mncName | Should -Be @('MTS', 'Vodafone')
        $request = Get-ZadarmaRequestLog '/v1/info/number_lookup/'
        $request.method | Should -Be 'POST'
        (Get-ZadarmaRequestBody '/v1/info/number_lookup/') | Should -Be 'numbers%5B0%5D=79001234567&numbers%5B1%5D=442037691880'
    }

    It 'puts a setting and shows it with -WhatIf without sending' {
        Invoke-ZadarmaRequest /v1/sip/callerid/ -Method Put -Parameter @{ id = '100'; number = '442037691899' } @Zadarma -WhatIf
        Get-ZadarmaRequestLog '/v1/sip/callerid/' | Should -BeNullOrEmpty
        $answer = Invoke-ZadarmaRequest /v1/sip/callerid/ -Method Put -Parameter @{ id = '100'; number = '442037691899' } @Zadarma
        $answer.new_caller_id | Should -Be '442037691899'
    }

    It 'shows a GET with -WhatIf without sending it' {
        Invoke-ZadarmaRequest /v1/tariff/ @Zadarma -WhatIf
        Get-ZadarmaRequestLog '/v1/tariff/' | Should -BeNullOrEmpty
    }

    It 'never repeats a POST that may have reached Zadarma' {
        Invoke-SandboxControl $Sandbox 'faults' -Body @{ kind = 'Status'; pathContains = 'sms/send'; status = 502; count = 3; afterProcessing = $true } | Out-Null
        $failed = $null
        Invoke-ZadarmaRequest /v1/sms/send/ -Method Post -Parameter @{ number = '79001234567'; message = 'hi' } @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].Exception.MayHaveTakenEffect | Should -BeTrue
        @(Get-ZadarmaRequestLog '/v1/sms/send/') | Should -HaveCount 1
    }

    It 'retries a GET after a 502' {
        Invoke-SandboxControl $Sandbox 'faults' -Body @{ kind = 'Status'; pathContains = '/v1/tariff/'; status = 502; count = 1 } | Out-Null
        (Invoke-ZadarmaRequest /v1/tariff/ @Zadarma).info.tariff_id | Should -Be 5
        @(Get-ZadarmaRequestLog '/v1/tariff/') | Should -HaveCount 2
    }

    It 'reports an error answer as the module''s error with Zadarma''s message' {
        $failed = $null
        Invoke-ZadarmaRequest /v1/sip/999/status/ @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].Exception.ProviderMessage | Should -Be 'Wrong SIP id'
        $failed[0].Exception.Provider | Should -Be 'Zadarma'
    }

    It 'refuses a path that is not a method before anything is sent' {
        $failed = $null
        Invoke-ZadarmaRequest 'info/balance' @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Match '^ZadarmaPathIsNotValid'
        "$($failed[0])" | Should -Match '/v1/'
        Invoke-ZadarmaRequest '/v1/info/price/?number=1' @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        "$($failed[0])" | Should -Match '-Parameter'
        Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '/zadarma/*' } | Should -BeNullOrEmpty
    }

    It 'refuses a parameter name PHP would read as another' {
        $failed = $null
        Invoke-ZadarmaRequest /v1/info/price/ -Parameter @{ 'caller.id' = '1' } @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Match '^ZadarmaParameterIsNotValid'
    }
}
