# Makes Windows start Volunteer Station at boot, before anyone signs in, and lets
# tablets on the center's network reach it. Run install-startup-task.cmd as administrator.
#   -Remove   takes the task and the firewall rules away again.
param([switch]$Remove)
$ErrorActionPreference = 'Stop'
$taskName = 'Volunteer Station'
$runner = Join-Path $PSScriptRoot 'start-volunteer-station.cmd'

if ($Remove) {
  Unregister-ScheduledTask -TaskName $taskName -Confirm:$false -ErrorAction SilentlyContinue
  Get-NetFirewallRule -DisplayName 'Volunteer Station*' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  Write-Host 'Removed the startup task and the firewall rules.'
  exit 0
}

$action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument "/c `"$runner`"" -WorkingDirectory $PSScriptRoot
$trigger = New-ScheduledTaskTrigger -AtStartup
# SYSTEM: runs after a power cut with nobody signed in.
$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
# No time limit (the default stops a task after 3 days), run on battery, restart if it fails.
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries `
  -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -StartWhenAvailable -MultipleInstances IgnoreNew
Register-ScheduledTask -TaskName $taskName -Action $action -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null

# A server started by a task gets no "allow access?" prompt, so the ports are opened here, for
# private and domain networks only: set the center's Wi-Fi to "Private" in Windows settings.
$ports = @(8080, 8443)
Get-NetFirewallRule -DisplayName 'Volunteer Station*' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
New-NetFirewallRule -DisplayName 'Volunteer Station (HTTP, HTTPS)' -Direction Inbound -Protocol TCP -LocalPort $ports -Profile Private,Domain -Action Allow | Out-Null
New-NetFirewallRule -DisplayName 'Volunteer Station (mDNS)' -Direction Inbound -Protocol UDP -LocalPort 5353 -Profile Private,Domain -Action Allow | Out-Null

Start-ScheduledTask -TaskName $taskName
Write-Host "Volunteer Station now starts with Windows. Log: $(Resolve-Path (Join-Path $PSScriptRoot '..\..'))\logs\server.log"
Write-Host 'If you changed PORT or HTTPS_PORT, edit $ports in this script and run it again.'
