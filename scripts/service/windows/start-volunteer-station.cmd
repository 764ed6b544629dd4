@echo off
rem Runs Volunteer Station and starts it again if it stops unexpectedly.
rem The startup task made by install-startup-task.cmd runs this file when Windows starts.
rem Settings: put "set NAME=value" lines (PORT, HTTPS_PORT, DATA_DIR, EXTRA_HOSTNAMES,
rem BACKUP_COPY_DIR, MDNS_NAME, ...) in station-settings.cmd next to this file.
setlocal
set "ROOT=%~dp0..\..\"
cd /d "%ROOT%"
if exist "%~dp0station-settings.cmd" call "%~dp0station-settings.cmd"
if not exist "%ROOT%logs" mkdir "%ROOT%logs"

:run
echo %date% %time% Starting Volunteer Station >> "%ROOT%logs\server.log"
node scripts\start.mjs >> "%ROOT%logs\server.log" 2>&1
rem 78: the server refused to start (damaged data, a bad setting, port or data folder in use).
rem Starting again would only repeat it: the reason is at the end of logs\server.log.
if %errorlevel% equ 78 goto refused
echo %date% %time% Volunteer Station stopped (exit %errorlevel%), starting again in 10 seconds >> "%ROOT%logs\server.log"
timeout /t 10 /nobreak > nul
goto run

:refused
echo %date% %time% Volunteer Station refused to start; see the lines above >> "%ROOT%logs\server.log"
exit /b 78
