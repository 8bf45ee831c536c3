function Resolve-PortReporterExecutable {
    <#
    .SYNOPSIS
    The absolute path of a program that a service definition runs as root/SYSTEM, by a trusted rule:
    an explicit override (PORTREPORT_NODE), else the first of the system's own program folders that
    has it, never a folder from PATH. On Linux the file and every folder above it must belong to
    root and be writable by no one else (anyone who can replace it would run as root at the next
    boot). Returns $null when none qualifies; -Reason gets why each candidate was refused.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $Name,
        [string] $Override,
        [System.Collections.Generic.List[string]] $Reason
    )
    $candidates = if ($Override) { @($Override) }
    elseif ($IsWindows) { @((Join-Path $env:ProgramFiles 'nodejs' "$Name.exe"), (Join-Path $env:SystemRoot 'System32' "$Name.exe")) }
    else { '/usr/bin', '/usr/local/bin', '/bin', '/usr/sbin', '/sbin' | ForEach-Object { "$_/$Name" } }
    foreach ($c in $candidates) {
        if (-not [System.IO.Path]::IsPathRooted($c) -or -not (Test-Path -LiteralPath $c -PathType Leaf)) { continue }
        $full = [System.IO.Path]::GetFullPath($c)
        if ($IsWindows) { return $full }
        $target = (Get-Item -LiteralPath $full).ResolveLinkTarget($true)
        $real = if ($target) { $target.FullName } else { $full }
        $unsafe = $null
        for ($p = $real; $p; $p = Split-Path -Parent $p) {
            $st = (Get-Item -LiteralPath $p -Force).UnixStat
            # A sticky folder above (like /tmp) lets no one else replace what is in it.
            $writable = (($st.Mode -band 0x12) -ne 0) -and -not ($st.IsSticky -and $p -ne $real)
            if ($st.UserId -ne 0 -or $writable) { $unsafe = $p; break }
            if ($p -eq '/') { break }
        }
        if (-not $unsafe) { return $full }
        if ($null -ne $Reason) { $Reason.Add("'$full': '$unsafe' is not owned by root or is writable by others") }
    }
    $null
}
