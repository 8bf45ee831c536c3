function Get-PortReportTcpConnection {
    <#
    .SYNOPSIS
    TCP connections shaped like Get-NetTCPConnection's, for scripts written for it; Get-NetTCPConnection on Linux.

    .DESCRIPTION
    Get-PortReportTcpConnection returns the TCP sockets of a live snapshot as objects with exactly
    the properties of Windows' Get-NetTCPConnection (MSFT_NetTCPConnection): LocalAddress,
    LocalPort, RemoteAddress, RemotePort, State, AppliedSetting, OwningProcess (a uint32, 0 when no
    process is known, as in a TIME_WAIT socket), CreationTime and OffloadState, and the same
    parameters. So admin scripts run unchanged, including those that add their own ProcessName
    with Select-Object, which Get-PortReport's objects already have.

    Where Get-NetTCPConnection does not exist (Linux), the module makes Get-NetTCPConnection an
    alias of this command. Values Windows knows and Linux does not (AppliedSetting, CreationTime,
    OffloadState) are empty. For the owner's name, path, user and service, use Get-PortReport.

    .PARAMETER LocalAddress
    Only connections on these local addresses.

    .PARAMETER LocalPort
    Only connections on these local ports.

    .PARAMETER RemoteAddress
    Only connections to these remote addresses.

    .PARAMETER RemotePort
    Only connections to these remote ports.

    .PARAMETER State
    Only connections in these states (Listen, Established, TimeWait, ...).

    .PARAMETER OwningProcess
    Only connections of these process ids; takes pipeline input by property name.

    .EXAMPLE
    Get-NetTCPConnection -State Listen | Select-Object -Property *, @{ Name = 'ProcessName'; Expression = { (Get-Process -Id $_.OwningProcess).Name } }

    A script written for Windows, unchanged on Linux: listeners with the name of their process.

    .EXAMPLE
    Get-PortReportTcpConnection -RemotePort 443 | Sort-Object OwningProcess -Unique | ForEach-Object { Get-Process -Id $_.OwningProcess -ErrorAction SilentlyContinue }

    The processes holding HTTPS connections.

    .OUTPUTS
    PortReport.NetTCPConnection
    #>
    [CmdletBinding()]
    [OutputType('PortReport.NetTCPConnection')]
    param(
        [string[]] $LocalAddress,

        [uint16[]] $LocalPort,

        [string[]] $RemoteAddress,

        [uint16[]] $RemotePort,

        [ValidateSet('Closed', 'Listen', 'SynSent', 'SynReceived', 'Established', 'FinWait1', 'FinWait2', 'CloseWait', 'Closing', 'LastAck', 'TimeWait', 'DeleteTCB', 'Bound')]
        [string[]] $State,

        [Parameter(ValueFromPipelineByPropertyName)]
        [uint32[]] $OwningProcess
    )
    begin { $ids = [System.Collections.Generic.List[int]]::new() }
    process { if ($OwningProcess) { $ids.AddRange([int[]]$OwningProcess) } }
    end {
        if ($MyInvocation.ExpectingInput -and $ids.Count -eq 0) { return }
        $filters = @{ Protocol = 'TCP'; LocalAddress = $LocalAddress; LocalPort = $LocalPort; RemoteAddress = $RemoteAddress; RemotePort = $RemotePort; State = $State; OwningProcess = $ids.ToArray() }
        Get-PortReportEndpoint @filters | ForEach-Object {
            [pscustomobject]@{
                PSTypeName     = 'PortReport.NetTCPConnection'
                LocalAddress   = $_.LocalAddress
                LocalPort      = [uint16]$_.LocalPort
                RemoteAddress  = $_.RemoteAddress
                RemotePort     = [uint16]$_.RemotePort
                State          = $_.State
                AppliedSetting = $null
                OwningProcess  = $_.OwningProcess
                CreationTime   = $null
                OffloadState   = $null
            }
        }
    }
}
