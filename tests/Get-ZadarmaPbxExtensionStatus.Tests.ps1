# Pester 5 acceptance tests of Get-ZadarmaPbxExtensionStatus against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaPbxExtensionStatus' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-ZadarmaRequestLog([string]$PathEnd) {
            @(Get-SandboxRequest $Sandbox) | Where-Object { $_.path.EndsWith($PathEnd) }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'reads whether an extension is online from its own path' {
        $status = Get-ZadarmaPbxExtensionStatus -Extension 101 @Zadarma
        $status.IsOnline | Should -BeFalse
        $status.PbxId | Should -Be '1234'
        (Get-ZadarmaRequestLog '/v1/pbx/internal/101/status/').method | Should -Be 'GET'
    }

    It 'follows the sandbox when an extension goes offline' {
        Invoke-SandboxControl $Sandbox 'zadarma/online' -Body @{ extension = '100'; online = $false } | Out-Null
        (Get-ZadarmaPbxExtensionStatus 100 @Zadarma).IsOnline | Should -BeFalse
    }

    It 'takes rows with an Internal column and gives an unknown extension its own error' {
        $rows = 'Internal', '100', '555', '102' | ConvertFrom-Csv
        $failed = $null
        $statuses = @($rows | Get-ZadarmaPbxExtensionStatus @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $statuses.Extension | Should -Be @('100', '102')
        $failed | Should -HaveCount 1
        $failed[0].Exception.ProviderMessage | Should -Be 'Wrong PBX number'
        $failed[0].TargetObject.Internal | Should -Be '555'
    }
}
