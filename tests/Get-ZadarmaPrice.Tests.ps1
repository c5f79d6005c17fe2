BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaPrice' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'prices each piped number, in input order' {
        $prices = '+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $prices | Should -HaveCount 2
        $prices[0].Number | Should -Be '442037691880'
        $prices[0].PricePerMinute | Should -Be 0.009
        $prices[1].PricePerMinute | Should -BeOfType [decimal]
    }

    It 'reports a bad number as that row''s error' {
        'abc' | Get-ZadarmaPrice -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNumberIsInvalid*'
    }
}
