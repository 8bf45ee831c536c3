function Assert-PortReporterDefinitionText {
    <#
    .SYNOPSIS
    Refuses, with a terminating InvalidArgument error from the calling cmdlet, any value that would
    go into a service unit or a task definition with a control character in it (a newline would
    start a new directive such as ExecStartPre=). Quoting handles the rest.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [hashtable] $Value
    )
    foreach ($name in $Value.Keys) {
        foreach ($v in @($Value[$name])) {
            $m = [regex]::Match([string]$v, '[\x00-\x1f\x7f-\x9f\u2028\u2029]')
            if ($m.Success) {
                $msg = "-$name contains the control character U+{0:X4} at position {1}; refusing to write it into a service definition" -f [int][char]$m.Value, $m.Index
                $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.ArgumentException]::new($msg, $name), 'PortReport.InvalidDefinitionText',
                    [System.Management.Automation.ErrorCategory]::InvalidArgument, $v))
            }
        }
    }
}
