function Resolve-PortReportInputFile {
    <#
    .SYNOPSIS
    The full path of a file a cmdlet reads (-Baseline, -WatchList) or of the folder it writes into
    (-OutFile, with -Parent), resolved as PowerShell resolves paths ($PWD, providers); when it is
    not there, a terminating error from the cmdlet the user ran, naming its parameter
    (ObjectNotFound), instead of the sidecar's message about a file it could not open.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $ParameterName,
        [Parameter(Mandatory)] [string] $What,
        [switch] $Parent,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $full = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Path)
    $check = if ($Parent) { Split-Path -Parent $full } else { $full }
    $type = if ($Parent) { 'Container' } else { 'Leaf' }
    if (-not (Test-Path -LiteralPath $check -PathType $type)) {
        $msg = if ($Parent) { "-$($ParameterName): the folder '$([PortReport.Display]::Escape($check))' for the $What does not exist; create it first." }
        else { "-$($ParameterName): cannot find the $What '$([PortReport.Display]::Escape($full))'." }
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.Management.Automation.ItemNotFoundException]::new($msg), "PortReport.$($ParameterName)NotFound",
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $full))
    }
    $full
}
