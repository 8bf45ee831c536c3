function Test-PortReporterCommand {
    <#
    .SYNOPSIS
    Runs a service's assembled command with --check (the sidecar validates every option and exits)
    before anything is written, so a definition that would crash-loop at every start is refused
    now, as an InvalidArgument error naming the PowerShell parameter.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $Command,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Command[0])
    foreach ($a in ($Command | Select-Object -Skip 1)) { $psi.ArgumentList.Add($a) }
    $psi.ArgumentList.Add('--check')
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $p = [System.Diagnostics.Process]::Start($psi)
    $errText = $p.StandardError.ReadToEndAsync()
    $null = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    if ($p.ExitCode -eq 0) { return }
    $why = ConvertTo-PortReportParameterText ([PortReport.Display]::Escape(($errText.Result.Trim() -replace '^portreport: error ', '')))
    $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
        [System.ArgumentException]::new("The service would not start: $why"), 'PortReport.InvalidArgument',
        [System.Management.Automation.ErrorCategory]::InvalidArgument, $Command))
}
