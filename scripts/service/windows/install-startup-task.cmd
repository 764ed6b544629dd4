@echo off
rem Right-click, "Run as administrator". Makes Volunteer Station start with Windows.
rem To undo: install-startup-task.cmd -Remove
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install-startup-task.ps1" %*
pause
