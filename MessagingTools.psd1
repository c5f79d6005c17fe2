# The source of the module's manifest and the one source of the module version. The build writes the manifest that
# ships (output/MessagingTools/<version>/MessagingTools.psd1) from this file (src/MessagingTools/MessagingTools.csproj,
# target WriteModuleManifest): it removes the '# ' before RootModule, makes the FormatsToProcess paths relative to the
# module folder, and fills ReleaseNotes from CHANGELOG.md. Test-ModuleManifest passes on both files.
@{
    # RootModule         = 'MessagingTools.dll' # in the module's manifest only: the dll exists only in the build output
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f0c8f0e-3a51-4a4e-9d3b-7b1f0b6c2a11'
    Author               = 'MessagingTools contributors'
    CompanyName          = 'MessagingTools'
    Copyright            = '(c) 2026 MessagingTools contributors. MIT License.'
    Description          = 'Send messages and place calls from PowerShell: Bale Safir, Zadarma, flash-call verification and FeedBot WhatsApp.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    # The paths from this file; in the module folder the files sit beside the manifest.
    FormatsToProcess     = @(
        'src/MessagingTools/MessagingTools.Bale.Format.ps1xml'
        'src/MessagingTools/MessagingTools.FlashCall.Format.ps1xml'
        'src/MessagingTools/MessagingTools.Feedbot.Format.ps1xml'
        'src/MessagingTools/MessagingTools.Zadarma.Format.ps1xml'
        'src/MessagingTools/MessagingTools.Journal.Format.ps1xml'
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
        'Get-MessagingJournal'
        'Receive-ZadarmaCall'
        'ConvertFrom-ZadarmaNotification'
        'ConvertTo-ZadarmaRouteAnswer'
        'Get-ZadarmaTimeZone'
        'Invoke-ZadarmaRequest'
        'Get-ZadarmaTariff'
        'Get-ZadarmaSipStatus'
        'Get-ZadarmaDirectNumber'
        'Get-ZadarmaPbxExtension'
        'Get-ZadarmaPbxExtensionStatus'
        'Set-ZadarmaPbxRecording'
        'Get-ZadarmaNumberInfo'
        'Get-ZadarmaWidgetStatistics'
        'Get-ZadarmaRecording'
        'Save-ZadarmaRecording'
        'Get-ZadarmaPbxRedirection'
        'Set-ZadarmaPbxRedirection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Bale', 'Safir', 'Zadarma', 'FeedBot', 'WhatsApp', 'SMS', 'FlashCall', 'Messaging', 'Iran',
                'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            # The project's address, a placeholder until it is published: adjust ProjectUri and LicenseUri then.
            ProjectUri   = 'https://github.com/messagingtools/MessagingTools'
            LicenseUri   = 'https://github.com/messagingtools/MessagingTools/blob/main/LICENSE'
            # CHANGELOG.md is the one source of the release notes: the build puts its section for ModuleVersion here.
            ReleaseNotes = ''
        }
    }
}
