#!/usr/bin/env bash
# Runs the whole test suite on a fresh clone. Installs what the tests need when it is missing:
# Azurite (npm ci, pinned in package-lock.json) and Debian packages for the browser and report rendering.
# The tests start their own Azurite (one per run, in memory, free ports) and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v libreoffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
# The report's DOCX asks for Arial; Liberation Sans has its metrics, so LibreOffice lays tables out as Word does.
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need_apt+=(fonts-liberation2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

dotnet build NapFunctions.sln -c Release -nologo -v quiet
# minimal: one line per failed test with its message and stack trace; a .trx per project in TestResults/.
dotnet test NapFunctions.sln -c Release --no-build -nologo -v minimal --logger trx --results-directory TestResults "$@"
