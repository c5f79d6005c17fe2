# Pester 5 acceptance tests of Get-ZadarmaPbxRedirection against the Zadarma sandbox (tests/MessagingTools.Sandbox, under
# /zadarma/) over real HTTP; the sandbox checks every signature. Behaviours come from
# src/MessagingTools/Commands/Zadarma/GetZadarmaPbxRedirectionCommand.cs and ZadarmaClient.PbxRedirection.cs; the sandbox
# seeds extensions 100 (off), 101 (to phone 79001234567 when not answered, with CallerID) and 102 (off).

Describe 'Get-ZadarmaPbxRedirection' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'reads the forwarding of an extension' {
        $r = Get-ZadarmaPbxRedirection -Extension 101 @Zadarma
        $r | Should -BeOfType ([MessagingTools.Core.Providers.Zadarma.ZadarmaPbxRedirection])
        $r.Extension | Should -Be '101'
        $r.Enabled | Should -BeTrue
        $r.Type | Should -Be 'phone'
        $r.Destination | Should -Be '79001234567'
        $r.Condition | Should -Be 'noanswer'
        $r.SetCallerId | Should -BeTrue
    }

    It 'takes extensions from the pipeline, as text or by property name (text, as CSV gives it)' {
        $all = @(100, '101' | Get-ZadarmaPbxRedirection @Zadarma) + @([pscustomobject]@{ pbx_number = '102' } | Get-ZadarmaPbxRedirection @Zadarma)
        $all.Extension | Should -Be @('100', '101', '102')
        $all.Enabled | Should -Be @($false, $true, $false)
    }

    It 'gives an extension Zadarma does not know as that row''s error' {
        $failed = $null
        $r = @(999, 100) | Get-ZadarmaPbxRedirection @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $r.Extension | Should -Be '100'
        $failed | Should -HaveCount 1
        $failed[0].Exception.ProviderMessage | Should -Match 'pbx_number'
    }

    It 'shows an 80-column table' {
        $text = Get-ZadarmaPbxRedirection 101 @Zadarma | Out-String -Width 80
        $text | Should -Match 'Extension\s+Enabled\s+Type\s+Condition\s+Destination\s+Greeting\s+CallerId'
        $text | Should -Match '101\s+True\s+phone\s+noanswer\s+79001234567\s+True'
    }
}
