function Get-PortReportEndpoint {
    <#
    .SYNOPSIS
    The sockets the Get-NetTCPConnection / Get-NetUDPEndpoint stand-ins shape: Get-PortReport with
    their filters, the sidecar filtering what it can (protocol, ports, remote address, states,
    pids), then local addresses and process id 0 ("no process", TIME_WAIT) here.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('TCP', 'UDP')] [string] $Protocol,
        [string[]] $LocalAddress,
        [uint16[]] $LocalPort,
        [string[]] $RemoteAddress,
        [uint16[]] $RemotePort,
        [string[]] $State,
        [int[]] $OwningProcess
    )
    $query = @{ Protocol = $Protocol }
    if ($LocalPort) { $query.LocalPort = [int[]]$LocalPort }
    if ($RemotePort) { $query.RemotePort = [int[]]$RemotePort }
    if ($RemoteAddress) { $query.RemoteAddress = $RemoteAddress }
    if ($State) {
        $query.State = @($State | Where-Object { $_ -ne 'DeleteTCB' })
        if ($query.State.Count -eq 0) { return }
    }
    $ids = @($OwningProcess)
    $wanted = @($ids | Where-Object { $_ -gt 0 })
    if ($wanted.Count -and $wanted.Count -eq $ids.Count) { $query.Id = $wanted }
    Get-PortReport @query | Where-Object {
        (-not $LocalAddress -or $_.LocalAddress -in $LocalAddress) -and (-not $ids.Count -or [int]$_.OwningProcess -in $ids)
    }
}
