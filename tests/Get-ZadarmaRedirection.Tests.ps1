BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaRedirection' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'shows every SIP number''s forwarding' {
        $all = Get-ZadarmaRedirection -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $all | Should -HaveCount 2
        ($all | Where-Object SipId -eq '101').Enabled | Should -BeTrue
        ($all | Where-Object SipId -eq '101').DestinationValue | Should -Be '79001234567'
    }

    It 'shows one SIP number''s forwarding' {
        $one = Get-ZadarmaRedirection -Sip 100 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $one | Should -HaveCount 1
        $one.Enabled | Should -BeFalse
    }
}
