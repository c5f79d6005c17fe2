BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaBalance' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'returns the balance as a decimal with its currency' {
        $balance = Get-ZadarmaBalance -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $balance.Balance | Should -BeOfType [decimal]
        $balance.Balance | Should -Be 25.47
        $balance.Currency | Should -Be 'USD'
    }

    It 'takes the credential and endpoint from the environment' {
        $env:MESSAGINGTOOLS_ZADARMA_API_KEY = 'sandbox-zadarma-key'
        $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = 'sandbox-zadarma-secret'
        $env:MESSAGINGTOOLS_ZADARMA_ENDPOINT = $ZadarmaEndpoint
        try {
            (Get-ZadarmaBalance).Currency | Should -Be 'USD'
        }
        finally {
            Remove-Item Env:MESSAGINGTOOLS_ZADARMA_API_KEY, Env:MESSAGINGTOOLS_ZADARMA_API_SECRET, Env:MESSAGINGTOOLS_ZADARMA_ENDPOINT
        }
    }

    It 'stops with a clear error when no credential is given' {
        { Get-ZadarmaBalance -Endpoint $ZadarmaEndpoint -ErrorAction Stop } | Should -Throw '*MESSAGINGTOOLS_ZADARMA_API_KEY*'
    }

    It 'reports a wrong secret as an authentication error' {
        $bad = [pscredential]::new('sandbox-zadarma-key', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        Get-ZadarmaBalance -Credential $bad -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}
