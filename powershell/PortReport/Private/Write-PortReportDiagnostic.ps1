function Write-PortReportDiagnostic {
    <#
    .SYNOPSIS
    One stderr line of the sidecar ({Level,Code,Message,Target} JSON) to a warning, a verbose
    message or a held error; any other text (a crash trace) is kept for the failure message.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [AllowEmptyString()] [string] $Line,
        [Parameter(Mandatory)] $State,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $d = $null
    if ($Line.StartsWith('{')) {
        try { $d = ConvertFrom-Json -InputObject $Line -DateKind String -ErrorAction Stop } catch { $d = $null }
    }
    if ($null -eq $d -or -not ($d.PSObject.Properties.Name -contains 'Level')) {
        [void]$State.Text.AppendLine($Line)
        return
    }
    $text = "$($d.Code): $($d.Message)"
    if ($d.PSObject.Properties.Name -contains 'Target' -and $d.Target -and -not $d.Message.Contains([string]$d.Target) -and $d.Level -ne 'progress') { $text += " ($($d.Target))" }
    # Messages quote file names, rows and process names that attackers control: shown escaped.
    $text = [PortReport.Display]::Escape($text)
    switch ($d.Level) {
        'progress' {
            # Activity: what the long work is ("Importing logs"); status: where it stands.
            $activity = if ($d.PSObject.Properties.Name -contains 'Activity' -and $d.Activity) { [PortReport.Display]::Escape([string]$d.Activity) } else { 'PortReport' }
            $pr = [System.Management.Automation.ProgressRecord]::new(1, $activity, [PortReport.Display]::Escape([string]$d.Message))
            $pct = 0
            if ([int]::TryParse([string]$d.Target, [ref]$pct)) { $pr.PercentComplete = [math]::Min(100, $pct) }
            $Cmdlet.WriteProgress($pr)
            $State.Progress = $true
        }
        # Shown as Write-Host shows text (the PSHOST tag), so -InformationAction Ignore silences it.
        'information' {
            $msg = [System.Management.Automation.HostInformationMessage]@{ Message = [PortReport.Display]::Escape([string]$d.Message) }
            $Cmdlet.WriteInformation($msg, [string[]]@('PSHOST', [string]$d.Code))
        }
        'warning' { $Cmdlet.WriteWarning($text) }
        'verbose' { $Cmdlet.WriteVerbose($text) }
        # Errors are held until the sidecar ends; Item marks those that concern one input (a file, a row).
        default { $State.Errors.Add([pscustomobject]@{ Text = $text; Code = [string]$d.Code; Target = $(if ($d.PSObject.Properties.Name -contains 'Target') { $d.Target }); Item = [string]$d.Code -match '^PR_(IMPORT|COMPACT|INPUT)_' -and -not ($d.PSObject.Properties.Name -contains 'Fatal') }) }
    }
}
