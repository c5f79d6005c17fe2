BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaSip' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'lists the SIP numbers of the account' {
        $sips = Get-ZadarmaSip -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $sips | Should -HaveCount 2
        $sips[0].Id | Should -Be '100'
        $sips[0].DisplayName | Should -Be 'Reception'
        $sips[0].Lines | Should -Be 3
    }

    It 'pipes into Get-ZadarmaRedirection by Id' {
        $redirections = Get-ZadarmaSip -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint |
            Get-ZadarmaRedirection -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $redirections.SipId | Should -Be @('100', '101')
    }
}
