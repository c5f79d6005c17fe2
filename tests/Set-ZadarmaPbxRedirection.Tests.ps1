# Pester 5 acceptance tests of Set-ZadarmaPbxRedirection against the Zadarma sandbox over real HTTP: the sandbox checks
# every signature, a multipart one (a greeting file) over its fields without the file, as Zadarma's PHP SDK signs it.
# Behaviours come from src/MessagingTools/Commands/Zadarma/SetZadarmaPbxRedirectionCommand.cs and ZadarmaClient.PbxRedirection.cs.

Describe 'Set-ZadarmaPbxRedirection' {
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

    It 'forwards to a phone, with the condition and CallerID asked for' {
        $r = Set-ZadarmaPbxRedirection -Extension 100 -Number '+44 20 3769 1881' -Condition NoAnswer -SetCallerId @Zadarma
        $r.Enabled | Should -BeTrue
        $r.Type | Should -Be 'phone'
        $r.Destination | Should -Be '442037691881'
        $r.Condition | Should -Be 'noanswer'
        $r.SetCallerId | Should -BeTrue
        $sent = @(Invoke-SandboxControl $Sandbox requests) | Where-Object path -like '*/v1/pbx/redirection/' | Select-Object -Last 1
        $sent.method | Should -Be 'POST'
    }

    It 'forwards to voicemail with its own greeting uploaded, and reads it back' {
        $greeting = Join-Path $TestDrive 'greeting.wav'
        [IO.File]::WriteAllBytes($greeting, [byte[]](1..200 | ForEach-Object { $_ }))
        $r = Set-ZadarmaPbxRedirection 100 -Email office@example.com -GreetingFile $greeting @Zadarma
        $r.Type | Should -Be 'voicemail'
        $r.VoicemailGreeting | Should -Be 'own'
        $r.Destination | Should -Be 'office@example.com'
        $received = @(Invoke-SandboxControl $Sandbox zadarma/greetings -Method GET)
        $received | Should -HaveCount 1
        $received[0].fileName | Should -Be 'greeting.wav'
        $received[0].contentType | Should -Be 'audio/wav'
        $received[0].length | Should -Be 200
        (Get-ZadarmaPbxRedirection 100 @Zadarma).VoicemailGreeting | Should -Be 'own'
    }

    It 'uses the standard greeting when no file is given, and switches forwarding off' {
        (Set-ZadarmaPbxRedirection 100 -Email a@b.cd @Zadarma).VoicemailGreeting | Should -Be 'standart'
        100, 101 | Get-ZadarmaPbxRedirection @Zadarma | Set-ZadarmaPbxRedirection -Off @Zadarma | Out-Null
        (100, 101 | Get-ZadarmaPbxRedirection @Zadarma).Enabled | Should -Be @($false, $false)
    }

    It 'refuses a greeting file that is missing, of another type or too large, naming the field, before sending' -ForEach @(
        @{ Name = 'absent.mp3'; Size = -1; Id = 'ZadarmaGreetingFileWasNotFound' }
        @{ Name = 'greeting.ogg'; Size = 100; Id = 'ZadarmaGreetingFileTypeIsNotAllowed' }
        @{ Name = 'huge.mp3'; Size = 5MB; Id = 'ZadarmaGreetingFileIsTooLarge' }
    ) {
        $path = Join-Path $TestDrive $Name
        if ($Size -ge 0) { $stream = [IO.File]::Create($path); $stream.SetLength($Size); $stream.Dispose() }
        $failed = $null
        Set-ZadarmaPbxRedirection 100 -Email a@b.cd -GreetingFile $path @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$failed" | Should -Match 'GreetingFile'
        @(Invoke-SandboxControl $Sandbox requests) | Should -HaveCount 0
    }

    It 'changes nothing with -WhatIf and says what it would do' {
        Set-ZadarmaPbxRedirection -Extension 101 -Off -WhatIf
        @(Invoke-SandboxControl $Sandbox requests) | Should -HaveCount 0
        (Get-ZadarmaPbxRedirection 101 @Zadarma).Enabled | Should -BeTrue
    }

    It 'takes rows of a CSV file' {
        $rows = "Extension,Number,Condition,SetCallerId`n100,+7 900 111 22 33,NoAnswer,yes`n102,442037691881,,no" | ConvertFrom-Csv
        $r = @($rows | Set-ZadarmaPbxRedirection @Zadarma)
        $r.Extension | Should -Be @('100', '102')
        $r.Condition | Should -Be @('noanswer', 'always')
        $r.SetCallerId | Should -Be @($true, $false)
    }
}
