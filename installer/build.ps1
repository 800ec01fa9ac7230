<#
.SYNOPSIS
    Build the Front Desk one-folder bundle (dist\desk-app) on Windows 10/11 x64.

.DESCRIPTION
    Run it from anywhere: it works in the repository root. Creates .venv with Python 3.11
    (the py launcher from python.org) when it does not exist, installs desk-app with its
    dev extras and PyInstaller into it, compiles resources\i18n\*.ts to .qm, then runs
    PyInstaller on installer\desk_app.spec.

    Result: dist\desk-app\desk-app.exe (windowed, for the desk staff) and
    dist\desk-app\desk-app-cli.exe (console: init, backup, user ...), sharing _internal\.

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build.ps1

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build.ps1 -DistPath C:\out -WorkPath $env:TEMP\desk-build -Clean
#>
#Requires -Version 5.1
[CmdletBinding()]
param(
    # Python version passed to the py launcher when .venv has to be created.
    [string]$PythonVersion = "3.11",
    # Where the bundle goes (PyInstaller --distpath) and where it works (--workpath).
    [string]$DistPath = "dist",
    [string]$WorkPath = "build",
    # Empty PyInstaller's cache and the work folder first.
    [switch]$Clean
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

function Say([string]$Message) { Write-Host "[build] $Message" -ForegroundColor Cyan }

# Native programs do not throw on failure: check their exit status. Their stderr (PyInstaller
# logs there) must not count as a PowerShell error when the output is redirected.
function Invoke-Checked([string]$What, [scriptblock]$Command) {
    $ErrorActionPreference = "Continue"
    $global:LASTEXITCODE = 0
    try { & $Command } catch { throw "$What failed: $_" }
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit status $LASTEXITCODE)" }
}

$Root = Split-Path -Parent $PSScriptRoot
Push-Location $Root
try {
    $Venv = Join-Path $Root ".venv"
    $Py = Join-Path $Venv "Scripts\python.exe"

    if (-not (Test-Path $Py)) {
        if (-not (Get-Command py -ErrorAction SilentlyContinue)) {
            throw "The py launcher is missing: install Python $PythonVersion (64-bit) from python.org"
        }
        Say "creating virtual environment in $Venv (Python $PythonVersion)"
        Invoke-Checked "py -$PythonVersion -m venv" { py "-$PythonVersion" -m venv $Venv }
    }

    Invoke-Checked "Python 3.11+ check" {
        & $Py -c "import sys, struct; assert sys.version_info >= (3, 11) and struct.calcsize('P') == 8, 'need 64-bit Python 3.11+'"
    }

    Say "installing desk-app (dev extras) and PyInstaller"
    Invoke-Checked "pip upgrade" { & $Py -m pip install -q --disable-pip-version-check --upgrade pip }
    Invoke-Checked "pip install" {
        & $Py -m pip install -q --disable-pip-version-check -e ".[dev]" "pyinstaller>=6.10,<7"
    }

    # Compile the translations: the spec ships every resources\i18n\*.qm.
    $Lrelease = Join-Path $Venv "Scripts\pyside6-lrelease.exe"
    if (-not (Test-Path $Lrelease)) { throw "missing $Lrelease (PySide6 did not install?)" }
    foreach ($ts in Get-ChildItem -Path (Join-Path $Root "resources\i18n") -Filter *.ts -ErrorAction SilentlyContinue) {
        $qm = [System.IO.Path]::ChangeExtension($ts.FullName, ".qm")
        Say "compiling $($ts.Name)"
        Invoke-Checked "pyside6-lrelease $($ts.Name)" { & $Lrelease -silent $ts.FullName -qm $qm }
    }

    # The printing font (resources\fonts\NotoSerifCJKsc-Regular.ttf): Windows has no Noto CJK,
    # so set $env:DESK_APP_FONT_SOURCE to NotoSerifCJK-Regular.ttc (noto-cjk release) or copy
    # the .ttf built on Linux into resources\fonts first. Quick when it is already current.
    Say "printing font"
    Invoke-Checked "fontbuild" { & $Py -m desk_app.devtools.fontbuild }

    $PyiArgs = @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                 "--distpath", $DistPath, "--workpath", $WorkPath)
    if ($Clean) { $PyiArgs += "--clean" }
    $PyiArgs += "installer\desk_app.spec"

    Say "running PyInstaller"
    $Timer = [System.Diagnostics.Stopwatch]::StartNew()
    Invoke-Checked "PyInstaller" { & $Py @PyiArgs }
    $Timer.Stop()

    $Bundle = Join-Path (Resolve-Path $DistPath) "desk-app"
    foreach ($exe in @("desk-app.exe", "desk-app-cli.exe")) {
        if (-not (Test-Path (Join-Path $Bundle $exe))) { throw "missing $exe in $Bundle" }
    }
    $Bytes = (Get-ChildItem -Path $Bundle -Recurse -File | Measure-Object -Property Length -Sum).Sum
    Say ("built in {0:N0} s" -f $Timer.Elapsed.TotalSeconds)
    Write-Host ("bundle: {0}  ({1:N0} MB)" -f $Bundle, ($Bytes / 1MB))
}
finally {
    Pop-Location
}
