# Checks for the .NET SDK the solution targets.
# shellcheck shell=bash

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is missing: install it (https://dot.net) so that 'dotnet' is on PATH"
  local major
  major="$(dotnet --version 2>/dev/null | cut -d. -f1)"
  [ "${major:-0}" -ge 10 ] || die "the .NET SDK on PATH is $(dotnet --version 2>/dev/null); version 10 or newer is needed"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}
