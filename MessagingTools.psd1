@{
    RootModule           = 'MessagingTools.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f0c8f0e-3a51-4a4e-9d3b-7b1f0b6c2a11'
    Author               = 'MessagingTools contributors'
    CompanyName          = 'MessagingTools'
    Copyright            = '(c) MessagingTools contributors. All rights reserved.'
    Description          = 'Send messages and place calls from PowerShell: Bale Safir, Zadarma, flash-call verification and FeedBot WhatsApp.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @(
        'MessagingTools.Bale.Format.ps1xml'
        'MessagingTools.FlashCall.Format.ps1xml'
        'MessagingTools.Feedbot.Format.ps1xml'
        'MessagingTools.Zadarma.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Send-BaleMessage'
        'Publish-BaleFile'
        'Send-FlashCall'
        'Send-FeedbotMessage'
        'Get-FeedbotStatus'
        'Invoke-ZadarmaCallback'
        'Get-ZadarmaBalance'
        'Get-ZadarmaPrice'
        'Send-ZadarmaSms'
        'Get-ZadarmaSip'
        'Set-ZadarmaCallerId'
        'Get-ZadarmaRedirection'
        'Set-ZadarmaRedirection'
        'Get-ZadarmaStatistics'
        'Get-ZadarmaPbxStatistics'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Bale', 'Safir', 'Zadarma', 'FeedBot', 'WhatsApp', 'SMS', 'FlashCall', 'Messaging')
            ProjectUri = ''
        }
    }
}
