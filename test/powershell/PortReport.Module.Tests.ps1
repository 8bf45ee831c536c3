#Requires -Version 7.5
# The module as a whole: manifest, exports, help, verbs, and what happens when the sidecar is
# missing or dies.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '..' '..' 'powershell' 'PortReport' 'PortReport.psd1') -Force
    $ExportedNames = @((Get-Command -Module PortReport -CommandType Function).Name)
}

BeforeAll {
    $script:ModulePath = Join-Path $PSScriptRoot '..' '..' 'powershell' 'PortReport' 'PortReport.psd1'
    Import-Module $ModulePath -Force
    $script:Exported = @(Get-Command -Module PortReport -CommandType Function)
}

AfterAll {
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'PortReport module' {
    It 'has a valid manifest' {
        $m = Test-ModuleManifest -Path $ModulePath -ErrorAction Stop
        $m.Name | Should -Be 'PortReport'
        $m.PrivateData.PSData.Contract | Should -Be 1
    }

    It 'exports Get-PortReport and keeps its helpers private' {
        $Exported.Name | Should -Contain 'Get-PortReport'
        $Exported.Name | Should -Not -Contain 'Invoke-PortReportSidecar'
        $Exported.Name | Should -Not -Contain 'Resolve-PortReportSidecar'
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        foreach ($c in $Exported) { $approved | Should -Contain $c.Verb -Because "$($c.Name) must use an approved verb" }
    }

    It 'has comment-based help with a synopsis, a description, examples and every parameter described: <_>' -ForEach $ExportedNames {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\["   # the auto-generated syntax line means no help
        ($help.Description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $d = ($help.Parameters.Parameter | Where-Object Name -eq $p).Description.Text -join ''
            $d | Should -Not -BeNullOrEmpty -Because "parameter -$p needs a description"
        }
    }

    It 'declares an OutputType equal to the PSTypeName it emits, with a format view for it' {
        (Get-Command Get-PortReport).OutputType.Name | Should -Contain 'PortReport.Connection'
        foreach ($c in $Exported) {
            foreach ($t in $c.OutputType.Name | Where-Object { $_ -like 'PortReport.*' }) {
                (Get-FormatData -TypeName $t) | Should -Not -BeNullOrEmpty -Because "$($c.Name) emits $t"
            }
        }
    }

    It 'exports exactly the functions in Public/, one a file' {
        $public = (Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'powershell' 'PortReport' 'Public') -Filter *.ps1).BaseName
        ($Exported.Name | Sort-Object) | Should -Be ($public | Sort-Object)
    }

    It 'loads its compiled record types, and the script converter gives the same objects' {
        & (Get-Module PortReport) { $script:CompiledRecords } | Should -BeTrue
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        $compiled = @(Get-PortReport -Id $PID)
        $compiled.Count | Should -BeGreaterThan 0
        $compiled[0].GetType().FullName | Should -Be 'PortReport.Connection'
        $env:PORTREPORT_SCRIPT_CONVERTER = '1'
        try { $scripted = @(Get-PortReport -Id $PID) } finally { Remove-Item Env:PORTREPORT_SCRIPT_CONVERTER }
        $scripted[0].PSObject.TypeNames[0] | Should -Be 'PortReport.Connection'
        $key = { '{0}|{1}|{2}' -f $_.Protocol, $_.LocalPort, $_.RemotePort }
        $a = $compiled | Sort-Object $key; $b = $scripted | Sort-Object $key
        $a.Count | Should -Be $b.Count
        foreach ($p in 'Protocol', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'ProcessId', 'ProcessName', 'ExecutablePath', 'CommandLine', 'UserName', 'ProcessStartTime', 'OwningProcess') {
            ($a | ForEach-Object $p) | Should -Be ($b | ForEach-Object $p) -Because $p
        }
        $listener.Stop()
    }

    It 'supports -WhatIf on every cmdlet that changes the system' {
        foreach ($n in 'Install-PortReporter', 'Uninstall-PortReporter', 'Start-PortReporter') {
            (Get-Command $n).Parameters.Keys | Should -Contain 'WhatIf'
        }
    }

    It 'keeps every source file small (about 300 lines at most)' {
        foreach ($f in Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'powershell') -Recurse -File -Include *.ps1, *.psm1, *.psd1, *.ps1xml, *.cs) {
            (Get-Content -LiteralPath $f.FullName).Count | Should -BeLessOrEqual 300 -Because $f.Name
        }
    }
}

Describe 'sidecar failures' {
    AfterEach {
        Remove-Item Env:PORTREPORT_SIDECAR, Env:PORTREPORT_NODE, Env:PORTREPORT_LIBC -ErrorAction Ignore
    }

    It 'a missing sidecar is a terminating error naming the path and the fix' {
        $env:PORTREPORT_SIDECAR = Join-Path $TestDrive 'nowhere' 'main.js'
        $err = $null
        try { Get-PortReport; $reached = $true } catch { $err = $_ }
        $reached | Should -BeNullOrEmpty -Because 'the error must be terminating'
        $err.FullyQualifiedErrorId | Should -BeLike 'PortReport.SidecarNotFound*'
        $err.Exception.Message | Should -Match 'nowhere'
        $err.Exception.Message | Should -Match 'setup.sh'
    }

    It 'a missing node is a terminating error' {
        $env:PORTREPORT_NODE = Join-Path $TestDrive 'no-node'
        { Get-PortReport } | Should -Throw -ErrorId 'PortReport.NodeNotFound*'
    }

    It 'a crashing sidecar is a terminating error, not empty output' {
        $env:PORTREPORT_SIDECAR = Join-Path $PSScriptRoot '..' 'fixtures' 'crash-sidecar.cjs'
        $err = $null
        $out = try { Get-PortReport } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'PortReport.SidecarFailed*'
        $err.Exception.Message | Should -Match 'killed by signal 9'
    }

    It 'a sidecar that fails reports its own message as the error' {
        # The real sidecar, told to use netlink through a libc that does not exist.
        $env:PORTREPORT_LIBC = '/nonexistent/libc.so.6'
        $err = $null
        $probe = {
            function Invoke-Probe { [CmdletBinding()] param() Invoke-PortReportSidecar -ArgumentList 'snapshot', '--source', 'netlink' -TypeName 'PortReport.Connection' -Cmdlet $PSCmdlet }
            Invoke-Probe
        }
        try { & (Get-Module PortReport) $probe } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'PortReport.SidecarFailed*'
        $err.Exception.Message | Should -Match '/nonexistent/libc.so.6'
        $err.Exception.Message | Should -Match 'exit code 1'
    }

    It 'sidecar warnings become PowerShell warnings' {
        $env:PORTREPORT_LIBC = '/nonexistent/libc.so.6'
        $null = Get-PortReport -Id $PID -WarningVariable w -WarningAction SilentlyContinue
        ($w -join "`n") | Should -Match 'PR_NETLINK_UNAVAILABLE'
    }
}
