#!/usr/bin/env bash
# Runs the system locally on a fresh clone: Azurite (pinned, data kept in .azurite/) and the dev host on
# http://localhost:7071/api, seeded with the sample signatories and cycles. Prints, for each open cycle, a signatory token
# and its link to the form, the staff sign-in URL, and where emails (.outbox/) and published reports (.published/) land.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
dotnet build tools/Nap.DevHost -c Debug -nologo -v quiet

if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  mkdir -p .azurite
  node_modules/.bin/azurite --skipApiVersionCheck --loose --silent --location .azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .azurite/azurite.log 2>&1 &
  azurite_pid=$!
  trap 'kill $azurite_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.2; done
fi

# Emails the app would send (.eml) and published reports land at the repository root, not in bin/.
export Mail__OutboxFolder="${Mail__OutboxFolder:-$PWD/.outbox}"
export SharePoint__LocalFolder="${SharePoint__LocalFolder:-$PWD/.published}"
cd tools/Nap.DevHost/bin/Debug/net10.0
./Nap.DevHost --seed "$@"
