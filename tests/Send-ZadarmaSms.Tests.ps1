BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Send-ZadarmaSms' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'sends one SMS per CSV row with the text intact' {
        $csv = Join-Path $TestDrive 'sms.csv'
        @(
            'Phone,Text'
            '79001234567,Привет! Код: 1234'
            '79001234568,'
        ) | Set-Content -Path $csv -Encoding utf8
        $sent = Import-Csv $csv | Send-ZadarmaSms -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $sent | Should -HaveCount 1
        $sent[0].Cost | Should -BeOfType [decimal]
        $failed | Should -HaveCount 1
        (@(Invoke-SandboxControl 'zadarma/sms'))[0].message | Should -Be 'Привет! Код: 1234'
    }

    It 'sends nothing with -WhatIf' {
        Send-ZadarmaSms -Number 79001234567 -Message 'hi' -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -WhatIf
        @(Invoke-SandboxControl 'zadarma/sms') | Should -HaveCount 0
    }

    It 'does not repeat an SMS whose answer was a server error' {
        Invoke-SandboxControl 'faults' @{ kind = 'Status'; status = 502; pathContains = '/v1/sms/send/'; count = 3; afterProcessing = $true } | Out-Null
        Send-ZadarmaSms -Number 79001234567 -Message 'hi' -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].ErrorDetails.Message | Should -Match 'may have been sent'
        @(Invoke-SandboxControl 'zadarma/sms') | Should -HaveCount 1
    }
}
