function New-PortReportSummaryOverview {
    <#
    .SYNOPSIS
    One PortReport.SummaryOverview per report from all the reports' rows: how many rows, the top
    three of each (busiest ports, processes, remote hosts, users, hours; processes hosting the most
    services; modules loaded by the most instances), and the -Report value that shows it whole. What
    Get-PortReportSummary prints when no -Report is given: one short table, not every row of seven
    kinds of objects.
    #>
    [CmdletBinding()]
    [OutputType('PortReport.SummaryOverview')]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Rows)

    $kinds = [ordered]@{
        Port    = @{ Type = 'PortReport.PortSummary'; Sort = 'ShareOfTime'; Show = { '{0} {1}' -f $_.Protocol, $_.LocalPort } }
        Process = @{ Type = 'PortReport.ProcessSummary'; Sort = 'Connections'; Show = { [PortReport.Display]::Escape([string]$_.ProcessName) } }
        Remote  = @{ Type = 'PortReport.RemoteHostSummary'; Sort = 'Connections'; Show = { [PortReport.Display]::Escape([string]$_.RemoteAddress) } }
        User    = @{ Type = 'PortReport.UserSummary'; Sort = 'Connections'; Show = { [PortReport.Display]::Escape([string]$_.UserName) } }
        Hour    = @{ Type = 'PortReport.HourSummary'; Sort = 'Connections'; Show = { '{0:d2}:00' -f [int]$_.Hour } }
        Service = @{ Type = 'PortReport.ServiceSummary'; Sort = { @($_.Services).Count }; Show = { '{0} ({1})' -f [PortReport.Display]::Escape([string]$_.ProcessName), @($_.Services).Count } }
        Module  = @{ Type = 'PortReport.ModuleSummary'; Sort = 'Instances'; Show = { [PortReport.Display]::Escape([string][PortReport.Record]::FileName([string]$_.Module)) } }
    }
    foreach ($name in $kinds.Keys) {
        $k = $kinds[$name]
        $mine = @($Rows | Where-Object { $_.PSObject.TypeNames[0] -eq $k.Type })
        $top = @($mine | Sort-Object -Property $k.Sort -Descending | ForEach-Object $k.Show | Select-Object -Unique -First 3)
        [pscustomobject]@{
            PSTypeName = 'PortReport.SummaryOverview'
            Report     = $name
            Rows       = $mine.Count
            Top        = $top -join ', '
            Details    = "-Report $name"
        }
    }
}
