BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Set-ZadarmaCallerId' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'changes the CallerID of a SIP number' {
        $change = Set-ZadarmaCallerId -Sip 100 -Number '+44 20 3769 1899' -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $change.NewCallerId | Should -Be '442037691899'
        ((Invoke-SandboxControl 'zadarma/sips') | Where-Object id -eq '100').callerId | Should -Be '442037691899'
    }

    It 'changes nothing with -WhatIf' {
        Set-ZadarmaCallerId -Sip 100 -Number 442037691899 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -WhatIf
        ((Invoke-SandboxControl 'zadarma/sips') | Where-Object id -eq '100').callerId | Should -Be '442037691880'
    }

    It 'reports an unknown SIP with Zadarma''s message' {
        Set-ZadarmaCallerId -Sip 999 -Number 442037691899 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].Exception.ProviderMessage | Should -Be 'Wrong SIP id'
    }
}
