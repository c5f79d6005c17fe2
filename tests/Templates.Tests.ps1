# Pester 5 acceptance tests of message templates: a text typed on the command line is filled from each row that
# Import-Csv reads, for Send-BaleMessage, Send-FeedbotMessage and Send-ZadarmaSms, against the sandbox over real HTTP.
# Rules from src/MessagingTools/Internal/RowTemplates.cs and src/MessagingTools.Core/Text/MessageTemplate.cs.
# This file holds Persian text: it is saved as UTF-8 WITH a BOM, which Windows PowerShell 5.1 needs to read it.

Describe 'Message templates' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Bale = @{ BotId = 123; ApiKey = $Sandbox.BaleApiKey; Endpoint = $Sandbox.BaleEndpoint }
        $Feedbot = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
        $Template = 'سلام {Name}، کد شما {Code} است'

        function Get-BaleText {
            # What the sandbox delivered, by phone number.
            $texts = @{}
            foreach ($d in @(Get-SandboxBaleDelivery $Sandbox)) { $texts[$d.phoneNumber] = $d.text }
            $texts
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'fills a Persian template from each row for Bale' {
        $csv = Write-TestCsv 'bale.csv' @(
            'Phone,Name,Code'
            '0912 345 6781,سارا,۴۸۲۱'
            '+98 912 345 6782,Reza,1375'
        )
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Text $Template -CopyText '{Code}')

        $results.Count | Should -Be 2
        $texts = Get-BaleText
        $texts['989123456781'] | Should -BeExactly 'سلام سارا، کد شما ۴۸۲۱ است'
        $texts['989123456782'] | Should -BeExactly 'سلام Reza، کد شما 1375 است'
        @(Get-SandboxBaleDelivery $Sandbox | Where-Object { $_.phoneNumber -eq '989123456782' })[0].copyText | Should -BeExactly '1375'
    }

    It 'fills a Persian template from each row for FeedBot, in batches' {
        $csv = Write-TestCsv 'feedbot.csv' (@('Phone,Name,Code') + (1..3 | ForEach-Object { "+972 58-666-664$_,نام$_,$_$_" }))
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-FeedbotMessage @Feedbot -BatchSize 2 -Message $Template)

        $results.Count | Should -Be 3
        $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' -Method GET)
        foreach ($i in 1..3) {
            @($queued | Where-Object { $_.phone -eq "97258666664$i" })[0].message | Should -BeExactly "سلام نام$i، کد شما $i$i است"
        }
    }

    It 'fills a Persian template from each row for Zadarma SMS' {
        $csv = Write-TestCsv 'sms.csv' @(
            'Number,Name,Code'
            '79001234567,سارا,1'
            '79001234568,Reza,2'
        )
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-ZadarmaSms @Zadarma -Message $Template)

        $results.Count | Should -Be 2
        $sms = @(Invoke-SandboxControl $Sandbox 'zadarma/sms' -Method GET)
        @($sms | Where-Object { $_.number -eq '79001234567' })[0].message | Should -BeExactly 'سلام سارا، کد شما 1 است'
        @($sms | Where-Object { $_.number -eq '79001234568' })[0].message | Should -BeExactly 'سلام Reza، کد شما 2 است'
    }

    It 'makes a row that lacks a column its own error, with its row number, and sends the others' {
        # Rows of two files, as a merged list would give: the third row has no Code column.
        $withCode = Write-TestCsv 'with-code.csv' @('Phone,Name,Code', '09123456781,Sara,1', '09123456782,Reza,2', '09123456784,Mina,4')
        $withoutCode = Write-TestCsv 'without-code.csv' @('Phone,Name', '09123456783,Ali')
        $first = @(Import-Csv -LiteralPath $withCode -Encoding UTF8)
        $rows = @($first[0], $first[1]) + @(Import-Csv -LiteralPath $withoutCode -Encoding UTF8) + @($first[2])

        $failed = $null
        $results = @($rows | Send-BaleMessage @Bale -Text $Template -ErrorAction SilentlyContinue -ErrorVariable failed)

        $results.Row | Should -Be @(1, 2, 4)
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TemplatePlaceholderHasNoColumn,*'
        $failed[0].ErrorDetails.Message | Should -BeLike "Row 3, Text: The Text has the placeholder {Code}, but the row has no column 'Code' (its columns are 'Phone', 'Name').*"
        $failed[0].TargetObject.Name | Should -Be 'Ali'
        $texts = Get-BaleText
        $texts.Keys | Sort-Object | Should -Be @('989123456781', '989123456782', '989123456784')
        $texts['989123456784'] | Should -BeExactly 'سلام Mina، کد شما 4 است'
    }

    It 'sends {{ and }} as literal braces' {
        $csv = Write-TestCsv 'braces.csv' @('Phone,Name', '09123456781,Sara')
        Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Text '{{{Name}}}: {{ok}}' | Out-Null
        (Get-BaleText)['989123456781'] | Should -BeExactly '{Sara}: {ok}'
    }

    It 'sends a CSV cell with braces as it is' {
        $csv = Write-TestCsv 'cell.csv' @('Phone,Message', '09123456781,Price: {Amount} } {{x}}')
        $failed = $null
        Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -ErrorVariable failed | Out-Null
        @($failed).Count | Should -Be 0
        (Get-BaleText)['989123456781'] | Should -BeExactly 'Price: {Amount} } {{x}}'
    }

    It 'matches placeholders to columns in any case' {
        $csv = Write-TestCsv 'case.csv' @('PHONE,nAmE,code', '09123456781,Sara,7')
        Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Text $Template | Out-Null
        (Get-BaleText)['989123456781'] | Should -BeExactly 'سلام Sara، کد شما 7 است'
    }

    It 'stops the call before sending when the template cannot be parsed' {
        $csv = Write-TestCsv 'bad-template.csv' @('Phone,Name', '09123456781,Sara')
        { Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale -Text 'Hello {Name' -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'TemplateIsInvalid*'
        @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
    }

    It 'shows the filled text with -WhatIf and sends nothing' {
        # "What if:" lines go to the host only: a child process, whose console output is read as UTF-8.
        $csv = Write-TestCsv 'whatif.csv' @('Phone,Name,Code', '09123456781,سارا,11', '09123456782,Reza,22')
        $manifest = (Get-BuiltModulePath).Replace("'", "''")
        $script = @"
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
Import-Module -Name '$manifest'
Import-Csv -LiteralPath '$($csv.Replace("'", "''"))' -Encoding UTF8 | Send-BaleMessage -BotId 123 -Text '$Template' -WhatIf
"@
        $previous = [Console]::OutputEncoding
        try {
            [Console]::OutputEncoding = [System.Text.Encoding]::UTF8
            $child = Invoke-ChildPowerShell $script
        }
        finally { [Console]::OutputEncoding = $previous }

        $child.ExitCode | Should -Be 0
        $whatIf = @($child.Lines | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 2
        $whatIf[0] | Should -BeLike 'What if: Performing the operation "Send Bale message "سلام سارا، کد شما 11 است" from bot 123" on target "989123456781"*'
        $whatIf[1] | Should -BeLike 'What if: Performing the operation "Send Bale message "سلام Reza، کد شما 22 است" from bot 123" on target "989123456782"*'
        @(Get-SandboxRequest $Sandbox).Count | Should -Be 0
    }
}
