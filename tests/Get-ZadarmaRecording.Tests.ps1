# Pester 5 acceptance tests of Get-ZadarmaRecording against the Zadarma sandbox (tests/MessagingTools.Sandbox, under
# /zadarma/) over real HTTP: the sandbox checks every signature and answers links on another path (/zadarma-records/).
# Run with ./build.ps1 -Task Pester. Behaviours come from src/MessagingTools/Commands/Zadarma/GetZadarmaRecordingCommand.cs,
# src/MessagingTools.Core/Providers/Zadarma/ZadarmaClient.Recordings.cs and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Pbx.cs.

Describe 'Get-ZadarmaRecording' {
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
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 }
    }

    It 'gets one link for a recording id, off the API address, with its expiry' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/recordings' -Body @{ id = '1700000000.11'; pbxCallId = 'in_11'; size = 1000 }
        $link = Get-ZadarmaRecording -RecordingId '1700000000.11' -Lifetime 3600 @Zadarma
        $link | Should -HaveCount 1
        $link.RecordingId | Should -Be '1700000000.11'
        $link.Url.AbsoluteUri | Should -BeLike ($Sandbox.BaseUri + 'zadarma-records/*')
        $link.ExpiresAt | Should -BeOfType [DateTimeOffset]
        ($link.ExpiresAt - [DateTimeOffset]::Now).TotalMinutes | Should -BeGreaterThan 58
        ($link.ExpiresAt - [DateTimeOffset]::Now).TotalMinutes | Should -BeLessThan 61
        # The link works without any credential.
        (Invoke-WebRequest -Uri $link.Url -UseBasicParsing).RawContentLength | Should -Be 1000
    }

    It 'takes the lifetime as seconds or a TimeSpan and refuses one Zadarma does not take, naming the field' {
        (Get-ZadarmaRecording -RecordingId '1700000000.12' -Lifetime ([timespan]'00:05:00') @Zadarma).RecordingId | Should -Be '1700000000.12'
        $failed = $null
        Get-ZadarmaRecording -RecordingId '1700000000.12' -Lifetime 100 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaLinkLifetimeIsOutOfRange,*'
        "$failed" | Should -Match 'Lifetime'
        "$failed" | Should -Match '180'
    }

    It 'takes PBX statistics rows, skipping the calls that were not recorded' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 40; start = '2026-11-01 00:00:00'; end = '2026-11-01 23:00:00' }
        $rows = @(Get-ZadarmaPbxStatistics -Start 2026-11-01 -End 2026-11-02 -UtcOffset 0 @Zadarma)
        $recorded = @($rows | Where-Object IsRecorded)
        $recorded.Count | Should -BeGreaterThan 0
        $verbose = $rows | Get-ZadarmaRecording @Zadarma -Verbose 4>&1
        $links = @($verbose | Where-Object { $_ -is [MessagingTools.Core.Providers.Zadarma.ZadarmaRecordingLink] })
        $links.PbxCallId | Should -Be $recorded.PbxCallId
        @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*was not recorded; skipped.' }).Count |
            Should -Be ($rows.Count - $recorded.Count)
    }

    It 'takes call events and CSV rows by their RecordingId or call_id_with_rec' {
        $events = @(
            [pscustomobject]@{ Event = 'NOTIFY_END'; RecordingId = '1700000000.21'; PbxCallId = 'in_21'; IsRecorded = $true }
            [pscustomobject]@{ Event = 'NOTIFY_END'; RecordingId = ''; PbxCallId = 'in_22'; IsRecorded = $false }
        )
        $csv = "call_id_with_rec,pbx_call_id,is_recorded`n1700000000.23,in_23,1`n,in_24,0" | ConvertFrom-Csv
        $links = @($events | Get-ZadarmaRecording @Zadarma) + @($csv | Get-ZadarmaRecording @Zadarma)
        $links.RecordingId | Should -Be @('1700000000.21', '1700000000.23')
        $links.PbxCallId | Should -Be @('in_21', 'in_23')
    }

    It 'gives a recording Zadarma does not know as that row''s error, and the rows after it go on' {
        $failed = $null
        $links = @('nope', '1700000000.31') | ForEach-Object { [pscustomobject]@{ RecordingId = $_ } } |
            Get-ZadarmaRecording @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $links.RecordingId | Should -Be '1700000000.31'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaRejectedTheRequest,*'
        $failed[0].Exception.ProviderMessage | Should -Be 'Record not found'
        "$failed" | Should -Match 'Row 1'
    }

    It 'refuses an id typed as a decimal number, which PowerShell would cut to 15 digits' {
        # A bad value typed on the command line stops the call, as PowerShell's own binding errors do.
        $stopped = $null
        try { Get-ZadarmaRecording -RecordingId 1458832388.1585217 @Zadarma } catch { $stopped = $_ }
        $stopped.FullyQualifiedErrorId | Should -BeLike 'ZadarmaRecordingIdIsANumber,*'
        "$stopped" | Should -Match 'quote it'
        @(Invoke-SandboxControl $Sandbox requests) | Should -HaveCount 0
        (Get-ZadarmaRecording -RecordingId '1458832388.1585217' @Zadarma).RecordingId | Should -Be '1458832388.1585217'
    }

    It 'shows links in an 80-column table' {
        $text = Get-ZadarmaRecording -RecordingId '1700000000.41' @Zadarma | Out-String -Width 80
        $text | Should -Match 'RecordingId\s+ExpiresAt\s+Url'
        $text | Should -Match '1700000000\.41\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+http://'
    }
}
