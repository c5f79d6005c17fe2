BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Set-ZadarmaRedirection' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'changes the target and switches forwarding on' {
        $change = Set-ZadarmaRedirection -Sip 100 -Number '+7 900 111 22 33' -Status On -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $change.Enabled | Should -BeTrue
        $change.Destination | Should -Be '79001112233'
        $now = Get-ZadarmaRedirection -Sip 100 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $now.Enabled | Should -BeTrue
        $now.DestinationValue | Should -Be '79001112233'
    }

    It 'switches active forwarding off from a pipeline' {
        Get-ZadarmaRedirection -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint | Where-Object Enabled |
            Set-ZadarmaRedirection -Status Off -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint | Out-Null
        (Get-ZadarmaRedirection -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint | Where-Object Enabled) | Should -BeNullOrEmpty
    }

    It 'refuses a row with nothing to change' {
        Set-ZadarmaRedirection -Sip 100 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaRedirectionChangeIsEmpty*'
    }

    It 'changes nothing with -WhatIf' {
        Set-ZadarmaRedirection -Sip 100 -Status On -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -WhatIf
        (Get-ZadarmaRedirection -Sip 100 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint).Enabled | Should -BeFalse
    }
}
