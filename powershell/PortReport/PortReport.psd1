@{
    RootModule           = 'PortReport.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0b6f5e-8a3c-4d7e-9b1a-5c2e7d4f9a10'
    Author               = 'PortReport contributors'
    Copyright            = '(c) PortReport contributors. MIT licence.'
    Description          = 'What on this host talked to the network, as whom, and is that normal? Every TCP/UDP socket with its process, path, command line, user and service, as typed objects. The successor of Port Reporter.'
    PowerShellVersion    = '7.5'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Compare-PortReportBaseline', 'Export-PortReportCsv', 'Export-PortReportHtml', 'Export-PortReportLog', 'Find-PortReportAnomaly', 'Get-PortReport', 'Get-PortReporterStatus', 'Get-PortReportSummary', 'Get-PortReportTcpConnection', 'Get-PortReportUdpEndpoint', 'Import-PortReportLog', 'Install-PortReporter', 'New-PortReportBaseline', 'New-PortReportClickHouseSchema', 'Optimize-PortReportLog', 'Publish-PortReportLog', 'Start-PortReporter', 'Uninstall-PortReporter')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Get-NetTCPConnection', 'Get-NetUDPEndpoint')
    FormatsToProcess     = @('PortReport.Connection.Format.ps1xml', 'PortReport.Reporter.Format.ps1xml', 'PortReport.Import.Format.ps1xml', 'PortReport.Analysis.Format.ps1xml', 'PortReport.Overview.Format.ps1xml', 'PortReport.Fleet.Format.ps1xml')
    TypesToProcess       = @('PortReport.Types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags       = @('Security', 'Network', 'Ports', 'Netstat', 'PortReporter', 'Linux', 'Windows')
            # The NDJSON contract version this module speaks with its sidecar.
            Contract   = 1
        }
    }
}
