function Get-PortReport {
    <#
    .SYNOPSIS
    Lists every TCP and UDP socket on this host with the process, user and service that own it.

    .DESCRIPTION
    Get-PortReport takes a live snapshot of every TCP and UDP socket (IPv4 and IPv6, all states)
    and returns one PortReport.Connection object per socket: local and remote address and port,
    state, the owning process (id, name, executable path, command line, parent, start time), the
    user it runs as, its service (systemd unit on Linux) and, on request, its loaded modules and
    the SHA-256 of its executable.

    On Windows the sockets come from the iphlpapi tables (each with its pid), the services from
    the Service Control Manager (every service inside each svchost.exe), users from process tokens;
    the Windows-only facts are in the Windows property (docs/windows.md). Run as Administrator (or
    SYSTEM) to read protected processes; those that cannot be read keep their socket, with
    OwnerStatus AccessDenied.

    Property names follow Get-NetTCPConnection (LocalAddress, LocalPort, RemoteAddress,
    RemotePort, State, OwningProcess: a uint32, 0 when no process is known), so scripts written
    for it carry over; times are local [datetime]s and ProcessName is the name Get-Process shows,
    as for Get-Process's objects. Scripts that add their own ProcessName run unchanged on
    Get-PortReportTcpConnection (Get-NetTCPConnection on Linux). Filters run inside the
    sidecar, before objects are built. Run as root (or Administrator) to see every owner; sockets
    whose owner cannot be seen are still listed, with OwnerStatus saying why.

    Names, paths and command lines are reported exactly: bytes that are not valid UTF-8 appear as
    the characters U+DC80 to U+DCFF (one per byte). The table view shows control characters as
    \xNN, so nothing in a hostile process name reaches your terminal as an escape sequence.

    .PARAMETER Protocol
    Only TCP or only UDP sockets.

    .PARAMETER State
    Only sockets in these states (Listen, Established, TimeWait, CloseWait, Bound for an
    unconnected UDP socket, ...).

    .PARAMETER LocalPort
    Only sockets on these local ports.

    .PARAMETER RemotePort
    Only sockets connected to these remote ports.

    .PARAMETER RemoteAddress
    Only sockets whose remote address is one of these addresses or CIDR ranges (10.0.0.0/8, ::1).
    IPv4 ranges also match IPv4-mapped IPv6 addresses.

    .PARAMETER ProcessName
    Only sockets of processes with these names: the name Get-Process shows (python3) or the file
    name of the executable (python3.11, in ExecutableName). Wildcards (* and ?) are allowed;
    case-insensitive.

    .PARAMETER ContainerId
    Only sockets of processes in these containers (Linux: docker, containerd, CRI-O, podman, LXC,
    systemd-nspawn, told by the process's cgroup). Wildcards allowed; the 12-character id that
    `docker ps` shows, the container's name (ContainerName: docker and podman names, and
    namespace/pod/container on Kubernetes) and a Kubernetes pod uid match too. The host's own
    sockets match none. Each object's ContainerId and ContainerName properties say where its
    process runs.

    .PARAMETER Id
    Only sockets of these process ids. Takes pipeline input by property name, so
    Get-Process sshd | Get-PortReport works.

    .PARAMETER IncludeModules
    Add the shared objects (DLLs) each owning process has loaded.

    .PARAMETER IncludeHash
    Add the SHA-256 of each owning process's executable (cached by file identity).

    .PARAMETER IncludeBytes
    Windows: add BytesSent and BytesReceived of each TCP connection (ESTATS; needs Administrator;
    the counts run from when collection was first enabled for the connection). On Linux they are
    always there.

    .EXAMPLE
    Get-PortReport -State Listen

    Every listening TCP socket with the process and user that own it.

    .EXAMPLE
    Get-PortReport | Where-Object ProcessName -eq sshd

    Every socket of sshd processes, filtered in PowerShell.

    .EXAMPLE
    Get-Process nginx | Get-PortReport -IncludeModules | Select-Object LocalPort, ExecutablePath, Modules

    The sockets of the nginx processes, with the libraries each has loaded.

    .EXAMPLE
    Get-PortReport -ProcessName svchost -State Listen | Format-List LocalPort, ProcessId, ServiceName

    Windows: which services of which svchost.exe instance listen where (every service hosted in
    each instance, or the one that owns the socket where Windows says).

    .EXAMPLE
    Get-PortReport -Protocol TCP -RemoteAddress 10.0.0.0/8 -State Established | Group-Object ProcessName

    Which programs hold connections into 10.0.0.0/8.

    .INPUTS
    Objects with an Id (or OwningProcess / ProcessId) property, such as those of Get-Process.

    .OUTPUTS
    PortReport.Connection

    .NOTES
    The record's fields and the sidecar contract are documented in docs/record.md.
    #>
    [CmdletBinding()]
    [OutputType('PortReport.Connection')]
    param(
        [ValidateSet('TCP', 'UDP')]
        [string[]] $Protocol,

        [ValidateSet('Listen', 'Established', 'SynSent', 'SynReceived', 'FinWait1', 'FinWait2', 'TimeWait',
            'Closed', 'CloseWait', 'LastAck', 'Closing', 'NewSynReceived', 'Bound', 'Unknown')]
        [string[]] $State,

        [ValidateRange(0, 65535)]
        [int[]] $LocalPort,

        [ValidateRange(0, 65535)]
        [int[]] $RemotePort,

        [ValidateNotNullOrEmpty()]
        [string[]] $RemoteAddress,

        [SupportsWildcards()]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete)
                # Names as Get-Process shows them; on Linux not kernel threads (no command line: they own no sockets).
                Get-Process -ErrorAction Ignore |
                    Where-Object { -not $IsLinux -or ([System.IO.File]::Exists("/proc/$($_.Id)/cmdline") -and [System.IO.File]::ReadAllBytes("/proc/$($_.Id)/cmdline").Length -gt 0) } |
                    Select-Object -ExpandProperty ProcessName -Unique |
                    Where-Object { $_ -like "$wordToComplete*" } | Sort-Object |
                    ForEach-Object { [System.Management.Automation.CompletionResult]::new($_) }
            })]
        [string[]] $ProcessName,

        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]] $ContainerId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('OwningProcess', 'ProcessId')]
        [int[]] $Id,

        [switch] $IncludeModules,

        [switch] $IncludeHash,

        [switch] $IncludeBytes
    )

    begin {
        $ids = [System.Collections.Generic.List[int]]::new()
    }
    process {
        if ($Id) { $ids.AddRange($Id) }
    }
    end {
        # Piped input that named no process (Get-Process nosuch | Get-PortReport) means "none", not "all".
        if ($MyInvocation.ExpectingInput -and $ids.Count -eq 0) { return }

        $argv = [System.Collections.Generic.List[string]]::new()
        # The packed form (contract 2: each process's context once) for the compiled reader; the
        # script converter reads the readable NDJSON.
        $format = if ($env:PORTREPORT_SCRIPT_CONVERTER) { 'ndjson' } else { 'packed' }
        $argv.AddRange([string[]]@('snapshot', '--format', $format))
        $add = { param($name, $values) Add-PortReportOption -ArgumentList $argv -Name $name -Value $values }
        & $add 'protocol' $Protocol
        & $add 'state' $State
        & $add 'local-port' $LocalPort
        & $add 'remote-port' $RemotePort
        & $add 'remote-address' $RemoteAddress
        & $add 'process' $ProcessName
        & $add 'pid' $ids
        & $add 'container' $ContainerId
        if ($IncludeModules) { $argv.Add('--include-modules') }
        if ($IncludeHash) { $argv.Add('--include-hash') }
        if ($IncludeBytes) { $argv.Add('--include-bytes') }

        Invoke-PortReportSidecar -ArgumentList $argv -TypeName 'PortReport.Connection' -Cmdlet $PSCmdlet -DateProperty 'ProcessStartTime', 'ObservedAt'
    }
}
