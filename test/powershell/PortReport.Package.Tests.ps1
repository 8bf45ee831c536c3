#Requires -Version 7.5
# The release build (scripts/package.mjs, run by scripts/setup.sh): installed with PowerShell's own
# Install-PSResource from a local repository into an empty home, the module works with no working
# copy in sight: its own sidecar, help examples run as written through pwsh -Command, service
# definitions that point at the installed files, and the `portreport` command set-up puts on PATH.

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:Version = (Import-PowerShellDataFile (Join-Path $Repo 'powershell' 'PortReport' 'PortReport.psd1')).ModuleVersion
    $script:Nupkg = Join-Path $Repo 'out' 'packages' "PortReport.$Version.nupkg"
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    # An empty home: no module, no repository registration, no working copy on any path it sees.
    $script:Home2 = Join-Path $TestDrive 'home'
    $script:Work = Join-Path $TestDrive 'elsewhere'
    New-Item -ItemType Directory -Path $Home2, $Work | Out-Null

    # Runs pwsh -Command as a fresh user of that home would: HOME moved, PSModulePath and the
    # test's sidecar overrides gone, the current folder outside the repository.
    function script:Invoke-CleanPwsh([string] $Command) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Pwsh)
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
        $psi.WorkingDirectory = $Work
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.Environment['HOME'] = $Home2
        foreach ($v in 'PSModulePath', 'PORTREPORT_SIDECAR', 'PORTREPORT_TEST_MODULE', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME') { [void]$psi.Environment.Remove($v) }
        $p = [System.Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out; Err = $err.Result }
    }
}

Describe 'the packaged module' {
    It 'is a .nupkg that Install-PSResource installs from a local repository' {
        Test-Path -LiteralPath $Nupkg | Should -BeTrue -Because 'scripts/setup.sh runs npm run package'
        $packages = Split-Path -Parent $Nupkg
        $r = Invoke-CleanPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name PortReportLocal -Uri '$packages' -Trusted
Install-PSResource -Name PortReport -Repository PortReportLocal -Scope CurrentUser -TrustRepository -Quiet
(Get-Module -ListAvailable PortReport | Select-Object -First 1).ModuleBase
"@
        $r.Err | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $script:Installed = $r.Out.Trim()
        $Installed | Should -BeLike "$Home2/*/PortReport/$Version"
        Test-Path -LiteralPath (Join-Path $Installed 'sidecar' 'main.js') | Should -BeTrue
        # One loader file with every function, and a manifest listing what Public/ has.
        $public = (Get-ChildItem -LiteralPath (Join-Path $Repo 'powershell' 'PortReport' 'Public') -Filter *.ps1).BaseName | Sort-Object
        @((Import-PowerShellDataFile (Join-Path $Installed 'PortReport.psd1')).FunctionsToExport | Sort-Object) | Should -Be $public
        Test-Path -LiteralPath (Join-Path $Installed 'Public') | Should -BeFalse
    }

    It 'runs Get-PortReport with its own sidecar, found by name from any folder' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $r = Invoke-CleanPwsh "`$ErrorActionPreference = 'Stop'; Get-PortReport -LocalPort $port -State Listen | ForEach-Object { '{0} {1}' -f `$_.OwningProcess, (Get-Module PortReport).ModuleBase }"
            $r.Err | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 0
            $r.Out.Trim() | Should -Be "$PID $Installed"
        } finally { $listener.Stop() }
    }

    It 'runs the scheduled-task example of Find-PortReportAnomaly as written' {
        $logs = Join-Path $TestDrive 'logs'
        New-Item -ItemType Directory -Path $logs | Out-Null
        Copy-Item (Join-Path $Repo 'test' 'fixtures' 'legacy' '*') $logs
        $baseline = Join-Path $TestDrive 'baseline.json'
        $csv = Join-Path $TestDrive 'findings.csv'
        $r = Invoke-CleanPwsh "New-PortReportBaseline '$logs' -OutFile '$baseline' | Out-Null"
        $r.ExitCode | Should -Be 0 -Because $r.Err
        # The help text's own example, as the installed module shows it, paths swapped for this machine's.
        $r = Invoke-CleanPwsh "((Get-Help Find-PortReportAnomaly).Examples.Example | Where-Object Code -like 'pwsh *').Code"
        $example = $r.Out.Trim()
        $example | Should -BeLike 'pwsh *-Command "Find-PortReportAnomaly *'
        $inner = [regex]::Match($example, '-Command "(.*)"$').Groups[1].Value
        $inner = $inner.Replace('D:\PortReport\Logs', $logs).Replace('D:\PortReport\baseline.json', $baseline).Replace('D:\PortReport\findings.csv', $csv)
        $r = Invoke-CleanPwsh $inner
        $r.Err | Should -Not -Match 'not recognized|could not be loaded'
        $rows = @(Import-Csv -LiteralPath $csv)
        $r2 = Invoke-CleanPwsh "`$f = @(Find-PortReportAnomaly '$logs' -Baseline '$baseline' -WarningAction SilentlyContinue); '{0} {1}' -f `$f.Count, @(`$f | Where-Object Severity -in 'High', 'Critical').Count"
        $total, $high = $r2.Out.Trim() -split ' '
        $total | Should -BeGreaterThan 0
        $rows.Count | Should -Be $total
        $r.ExitCode | Should -Be ([int]($high -gt 0)) -Because 'with -FailOn High it exits 1 exactly when a finding is High or Critical'
    }

    It 'writes service definitions that run the installed sidecar, not a working copy' {
        $root = Join-Path $TestDrive 'root'
        $r = Invoke-CleanPwsh "`$ErrorActionPreference = 'Stop'; Install-PortReporter -Root '$root' -LogPath /var/log/portreport | Out-Null"
        $r.ExitCode | Should -Be 0 -Because $r.Err
        $unit = Get-Content -Raw -LiteralPath (Join-Path $root 'etc' 'systemd' 'system' 'portreport.service')
        $exec = ($unit -split "`n" | Where-Object { $_ -like 'ExecStart=*' })
        $exec | Should -BeLike "*$Installed/sidecar/main.js*"
        $exec | Should -Not -BeLike "*$Repo*"
    }

    It 'puts a portreport command on PATH that runs the installed sidecar' {
        $cmd = Get-Command portreport -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $cmd | Should -Not -BeNullOrEmpty -Because 'scripts/setup.sh installs the module and the command'
        $v = & $cmd.Source --version | ConvertFrom-Json
        $v.Version | Should -Be $Version
        Get-Content -Raw -LiteralPath $cmd.Source | Should -Match ([regex]::Escape("PortReport/$Version/sidecar/main.js"))
    }
}
