# Pester 5: how CSV rows bind, in real PowerShell with the real Import-Csv (issue 8, items 1-3 and 5). PowerShell fails
# a row's binding by itself when a typed cell does not convert (no row number, not the module's error id, and the
# cmdlet never sees the row, so later rows were misnumbered); a row without a recipient column was bound as a whole
# row of text; a junk BotId cell was replaced by the default. Every cell now ends as that row's own error.

Describe 'CSV rows' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
        $BaleKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $BaleKey; Endpoint = $Sandbox.BaleEndpoint }
        $Feedbot = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }

    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
        $global:PSDefaultParameterValues.Remove('Send-BaleMessage:ThrottleLimit')
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context 'a typed cell that does not convert is its row''s own error, and the rows after it keep their numbers' {
        It '<Name>' -ForEach @(
            @{ Name = 'Secure=maybe (Send-BaleMessage)'; Field = 'Secure'; Id = 'ValueIsNotYesOrNo'; Value = 'maybe'
                Lines = @('Phone,Message,Secure', '09123456781,a,maybe', '09123456782,b,yes', '12345,c,no', '09123456784,d,')
                Kind = 'Bale' }
            @{ Name = 'BotId=abc (Send-BaleMessage)'; Field = 'BotId'; Id = 'ValueIsNotAWholeNumber'; Value = 'abc'
                Lines = @('Phone,Message,BotId', '09123456781,a,abc', '09123456782,b,123', '12345,c,123', '09123456784,d,')
                Kind = 'BaleNoBotId' }
            @{ Name = 'Predicted=perhaps (Invoke-ZadarmaCallback)'; Field = 'Predicted'; Id = 'ValueIsNotYesOrNo'; Value = 'perhaps'
                Lines = @('From,To,Predicted', '100,442037691881,perhaps', '100,442037691882,1', '100,not a number,0', '100,442037691884,')
                Kind = 'Zadarma' }
            @{ Name = 'ExpiresAt=soon (Send-FeedbotMessage)'; Field = 'ExpiresAt'; Id = 'ValueIsNotADateTime'; Value = 'soon'
                Lines = @('Phone,Message,ExpiresAt', '972586666641,a,soon', '972586666642,b,2099-01-01 10:00', '12,c,', '972586666644,d,')
                Kind = 'Feedbot' }
        ) {
            $csv = Write-TestCsv 'rows.csv' $Lines
            $errs = $null
            # A default parameter value makes PowerShell add a misleading hint to its own binding errors: set one.
            $global:PSDefaultParameterValues['Send-BaleMessage:ThrottleLimit'] = 4
            switch ($Kind) {
                'Bale' { $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable errs) }
                'BaleNoBotId' {
                    $env:MESSAGINGTOOLS_BALE_BOT_ID = '555'
                    try { $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage -ApiKey $BaleKey -Endpoint $Sandbox.BaleEndpoint -ErrorAction SilentlyContinue -ErrorVariable errs) }
                    finally { $env:MESSAGINGTOOLS_BALE_BOT_ID = $null }
                }
                'Zadarma' { $results = @(Import-Csv -LiteralPath $csv | Invoke-ZadarmaCallback @Zadarma -ErrorAction SilentlyContinue -ErrorVariable errs) }
                'Feedbot' { $results = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Feedbot -ErrorAction SilentlyContinue -ErrorVariable errs) }
            }

            $results.Count | Should -Be 2
            @($errs).Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $errs[0].ErrorDetails.Message | Should -BeLike "Row 1, $Field`: '$Value' is not *"
            $errs[0].ErrorDetails.Message | Should -Not -Match 'default parameter'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject | Should -Not -BeNullOrEmpty
            $errs[1].ErrorDetails.Message | Should -BeLike 'Row 3, *'
        }

        It 'a bad value typed on the command line stops the call, naming the parameter' {
            $thrown = $null
            try { Send-BaleMessage -PhoneNumber 09123456789 -Text x -Secure:'maybe' @Bale -ErrorAction Stop }
            catch { $thrown = $_ }
            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ValueIsNotYesOrNo,*'
            $thrown.ErrorDetails.Message | Should -BeLike "Secure: 'maybe' is not a yes/no value*"
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }
    }

    Context 'a row whose recipient column has another name' {
        It 'says the row has no recipient column, lists its columns and the accepted names (<Header>)' -ForEach @(
            @{ Header = 'Phone Number' }
            @{ Header = 'Mobile No' }
        ) {
            $csv = Write-TestCsv 'rows.csv' @("$Header,Message", '0912 345 6789,hello', '0912 345 6780,bye')
            $errs = $null
            $results = @(Import-Csv -LiteralPath $csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable errs)
            $results.Count | Should -Be 0
            @($errs).Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'RowHasNoColumnForAParameter,*'
            $message = $errs[0].ErrorDetails.Message
            $message | Should -BeLike "Row 1, PhoneNumber: *"
            $message | Should -Match ([regex]::Escape("'$Header'"))
            $message | Should -Match "'Message'"
            $message | Should -Match 'PhoneNumber, Phone, Mobile'
            $message | Should -Not -Match '@\{'
            $errs[1].ErrorDetails.Message | Should -BeLike 'Row 2, PhoneNumber: *'
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
        }

        It 'still takes plain strings piped in' {
            @('09123456781', '09123456782' | Send-BaleMessage -Text hi @Bale).Count | Should -Be 2
        }
    }

    Context '-WhatIf without credentials' {
        BeforeAll {
            # Every case in one child process (no MESSAGINGTOOLS_ variable, no key, no endpoint): a process each would
            # only add start-up time.
            $cases = [ordered]@{
                'Send-BaleMessage'       = @{ Lines = @('Phone,Message', '09123456781,first', '12345,second', '09123456783,third'); Command = 'Send-BaleMessage -BotId 123 -WhatIf' }
                'Send-FeedbotMessage'    = @{ Lines = @('Phone,Message', '972586666641,first', '12,second', '972586666643,third'); Command = 'Send-FeedbotMessage -WhatIf' }
                'Send-FlashCall'         = @{ Lines = @('Phone,Message', '09123456781,first', '12345,second', '09123456783,third'); Command = 'Send-FlashCall -WhatIf' }
                'Send-ZadarmaSms'        = @{ Lines = @('Number,Message', '79001234561,first', 'abc,second', '79001234563,third'); Command = 'Send-ZadarmaSms -WhatIf' }
                'Invoke-ZadarmaCallback' = @{ Lines = @('From,To', '100,442037691881', '100,not a number', '100,442037691883'); Command = 'Invoke-ZadarmaCallback -WhatIf' }
            }
            $script = New-Object System.Text.StringBuilder
            $null = $script.AppendLine("Import-Module -Name $(ConvertTo-SingleQuoted (Get-BuiltModulePath))")
            $null = $script.AppendLine("foreach (`$name in @(Get-ChildItem env: | Where-Object Name -like 'MESSAGINGTOOLS_*' | ForEach-Object Name)) { Remove-Item `"env:`$name`" }")
            foreach ($name in $cases.Keys) {
                $csv = Write-TestCsv "$name.csv" $cases[$name].Lines
                $null = $script.AppendLine("'=== $name'")
                $null = $script.AppendLine("Import-Csv $(ConvertTo-SingleQuoted $csv) | $($cases[$name].Command) 2>&1 | ForEach-Object { if (`$_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.ToString() } else { `$_ } }")
            }
            $lines = (Invoke-ChildPowerShell $script.ToString()).Lines
            $DryRuns = @{}
            $current = $null
            foreach ($line in $lines) {
                if ($line -like '=== *') { $current = $line.Substring(4); $DryRuns[$current] = New-Object System.Collections.Generic.List[string]; continue }
                if ($current) { $DryRuns[$current].Add($line) }
            }
        }

        It 'checks every row and shows what would be sent, with no key and no endpoint (<Cmdlet>)' -ForEach @(
            @{ Cmdlet = 'Send-BaleMessage' }
            @{ Cmdlet = 'Send-FeedbotMessage' }
            @{ Cmdlet = 'Send-FlashCall' }
            @{ Cmdlet = 'Send-ZadarmaSms' }
            @{ Cmdlet = 'Invoke-ZadarmaCallback' }
        ) {
            $output = @($DryRuns[$Cmdlet])
            $text = $output -join "`n"
            @($output | Where-Object { $_ -like 'What if:*' }).Count | Should -Be 2 -Because "two rows are good:`n$text"
            $text | Should -Not -Match 'IsMissing'
            @($output | Where-Object { $_ -like 'ERROR *' }).Count | Should -Be 1 -Because "the bad row is reported:`n$text"
            $text | Should -Match 'Row 2'
        }
    }
}

Describe 'Results keep their row' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        $Bale = @{ BotId = 123; ApiKey = $Sandbox.BaleApiKey; Endpoint = $Sandbox.BaleEndpoint }
        $Csv = Write-TestCsv 'contacts.csv' @('Phone,Message,Kind', '09123456781,first,a', '12345,second,b', '09123456783,third,c')
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'gives every result the position of its row' {
        $results = @(Import-Csv -LiteralPath $Csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue)
        ($results | ForEach-Object { $_.Row }) | Should -Be @(1, 3)
        (Import-Csv -LiteralPath $Csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue | ConvertTo-Csv -NoTypeInformation)[0] | Should -Match '"Row"'
    }

    It 'gives the row as a property of the result itself, not a note PowerShell keeps beside it' {
        # A note property costs PowerShell a table entry per result (its instance members are kept in a ConditionalWeakTable
        # keyed by the result): at no latency that was a quarter more of Send-BaleMessage's time in collections (issue 16).
        $results = @(Import-Csv -LiteralPath $Csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue)
        ($results | ForEach-Object { $_.PSObject.Properties['Row'].MemberType }) | Should -Be @('Property', 'Property')
        ($results | ForEach-Object { $_.PSObject.Properties['Row'].Value }) | Should -Be @(1, 3)
        $direct = Send-BaleMessage @Bale -PhoneNumber 09123456781 -Text 'not piped'
        $direct.Row | Should -BeNullOrEmpty -Because 'an input from parameters is no row'
        $direct.PSObject.Properties['Row'].MemberType | Should -Be 'Property'
    }

    It 'makes one CSV of outcomes with -IncludeInput: input columns, Row, Outcome, provider ids, error' {
        $errs = $null
        $out = Join-Path $TestDrive 'outcomes.csv'
        Import-Csv -LiteralPath $Csv | Send-BaleMessage @Bale -IncludeInput -ErrorAction SilentlyContinue -ErrorVariable errs |
            Export-Csv -LiteralPath $out -NoTypeInformation
        $rows = @(Import-Csv -LiteralPath $out)

        $rows.Count | Should -Be 3
        @($errs).Count | Should -Be 1 -Because 'failures still reach the error stream'
        $header = @($rows[0].PSObject.Properties.Name)
        $header[0..4] | Should -Be @('Phone', 'Message', 'Kind', 'Row', 'Outcome')
        $header | Should -Contain 'RequestId'
        $header | Should -Contain 'ErrorId'
        ($rows | ForEach-Object { $_.Outcome }) | Should -Be @('Succeeded', 'Failed', 'Succeeded')
        ($rows | ForEach-Object { $_.Row }) | Should -Be @('1', '2', '3')
        $rows[0].RequestId | Should -Not -BeNullOrEmpty
        $rows[1].ErrorId | Should -Be 'PhoneNumberIsNotAnIranianMobileNumber'
        $rows[1].Error | Should -Match '12345'
        $rows[1].Kind | Should -Be 'b'
        $rows[0].Text | Should -Be 'first'
        $rows[0].ResultKind | Should -Be 'Text' -Because 'a result property named like an input column comes as ResultX'
    }

    It 'writes the failed rows back in the input''s own columns, ready to pipe again' {
        $errs = $null
        $null = Import-Csv -LiteralPath $Csv | Send-BaleMessage @Bale -ErrorAction SilentlyContinue -ErrorVariable errs
        $retry = Join-Path $TestDrive 'retry.csv'
        $errs.TargetObject | Export-Csv -LiteralPath $retry -NoTypeInformation
        $again = @(Import-Csv -LiteralPath $retry)
        $again.Count | Should -Be 1
        @($again[0].PSObject.Properties.Name) | Should -Be @('Phone', 'Message', 'Kind')
        $again[0].Phone | Should -Be '12345'
    }
}
