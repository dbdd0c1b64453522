#!/usr/bin/env bash
# Smoke test of a running function app, on any host: the Functions host (`func start`, the GitHub Actions workflow
# .github/workflows/functions-host.yml), the dev host (./tools/run-local.sh, and the test suite's SmokeScriptTests),
# or a deployment. It submits a report, reads it back, requests the final report, lists the reports and fetches the
# form. Needs bash and curl only.
#
#   NAP_BASE_URL            the API, default http://localhost:7071/api
#   NAP_CYCLE               an open cycle, default 2026
#   NAP_SIGNATORY_TOKEN     a signatory token for that cycle (tools/nap-admin token signatory <id> --cycle <cycle>)
#
# The report request carries the X-MS-CLIENT-PRINCIPAL header that App Service Authentication (Easy Auth) injects
# for a signed-in staff member with the Nap.Coordinator role. (In Azure, Easy Auth removes such a header from outside
# requests, so there the script needs a host where sign-in is stood in for, like `func start` or the dev host.)
set -euo pipefail

base="${NAP_BASE_URL:-http://localhost:7071/api}"
base="${base%/}"
cycle="${NAP_CYCLE:-2026}"
signatory_token="${NAP_SIGNATORY_TOKEN:?set NAP_SIGNATORY_TOKEN to a signatory token for cycle $cycle}"
run="smoke-$(date -u +%Y%m%dT%H%M%S)-$$-$RANDOM"

principal_json='{"auth_typ":"aad","claims":[{"typ":"roles","val":"Nap.Coordinator"},{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"5b0c6a1e-3d2f-4c7a-9e8b-1f2a3b4c5d6e"},{"typ":"name","val":"Smoke Test"}],"name_typ":"name","role_typ":"roles"}'
principal="$(printf '%s' "$principal_json" | base64 | tr -d '\n')"
coordinator=(-H "X-MS-CLIENT-PRINCIPAL: $principal" -H "X-MS-CLIENT-PRINCIPAL-NAME: Smoke Test" -H "X-MS-CLIENT-PRINCIPAL-IDP: aad")

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
step=0

# call <expected status> <method> <path> [curl arguments…]: the body lands in $work/body, the headers in $work/headers.
call() {
  local expected="$1" method="$2" path="$3"; shift 3
  step=$((step + 1))
  local status
  status="$(curl -sS --max-time 60 -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" "$@" "$base/$path")" || {
    echo "FAIL $step: $method /api/$path: no answer from $base" >&2; exit 1; }
  if [[ ! "$status" =~ ^($expected)$ ]]; then
    echo "FAIL $step: $method /api/$path answered $status, expected $expected" >&2
    head -c 2000 "$work/body" >&2; echo >&2
    exit 1
  fi
  echo "ok   $step: $method /api/$path → $status"
}

# expect <what> <extended regex>: the last answer's body matches.
expect() {
  grep -Eq -- "$2" "$work/body" || { echo "FAIL $step: $1 (no match for $2)" >&2; head -c 2000 "$work/body" >&2; echo >&2; exit 1; }
}

header() { tr -d '\r' < "$work/headers" | grep -i "^$1:" | tail -1 | cut -d' ' -f2-; }

call 200 GET health
expect "storage is reachable" '"healthy"'

call 200 GET cycles
expect "cycle $cycle is listed" "\"id\": *\"$cycle\""

submission='{"contact":{"name":"Smoke Test","email":"smoke@example.org"},
  "goals":{"G1":{"contributions":[{"title":"Smoke test '"$run"'","focus":["international"],"countries":["SD"],
    "outcomes":["G1.1"],"indicatorResults":[{"indicator":"G1.1.a","value":3,"unit":"persons","target":5}],
    "budgetSpentEur":100,"partners":["Smoke partner"],"confidential":false}],
    "narratives":{"highlights":{"text":"Smoke test highlight."}}}}}'
call 201 POST "cycles/$cycle/submissions" -H "Authorization: Bearer $signatory_token" \
  -H "Content-Type: application/json" -H "Idempotency-Key: $run" --data-binary "$submission"
expect "a receipt with its SHA-256" '"sha256": *"[0-9a-f]{64}"'
version="$(header ETag | tr -d '"W/')"
[[ "$version" =~ ^[0-9]+$ ]] || { echo "FAIL $step: no version in the ETag header" >&2; exit 1; }

call 200 POST "cycles/$cycle/submissions" -H "Authorization: Bearer $signatory_token" \
  -H "Content-Type: application/json" -H "Idempotency-Key: $run" --data-binary "$submission"
expect "the same receipt again" "\"version\": *$version\\b"
[ "$(header Idempotent-Replayed)" = "true" ] || { echo "FAIL $step: a repeated Idempotency-Key was not replayed" >&2; exit 1; }

call 200 GET "cycles/$cycle/submissions/mine" -H "Authorization: Bearer $signatory_token"
expect "the submission reads back" "Smoke test $run"
[ "$(header ETag | tr -d '"W/')" = "$version" ] || { echo "FAIL $step: read back another version than was stored" >&2; exit 1; }

call 202 POST "cycles/$cycle/report" "${coordinator[@]}" -H "Idempotency-Key: $run"
expect "a report request id" '"requestId": *"[^"]+"'
request_id="$(grep -Eo '"requestId": *"[^"]+"' "$work/body" | head -1 | sed -E 's/.*"([^"]+)"$/\1/')"
[ "$(header Location)" = "/api/cycles/$cycle/report" ] || { echo "FAIL $step: Location is not /api/cycles/$cycle/report" >&2; exit 1; }

call 200 GET "cycles/$cycle/report" "${coordinator[@]}"
expect "the report request is listed" "\"$request_id\""

call 200 GET form
expect "the form page" '<form'
[[ "$(header Content-Security-Policy)" == *"default-src 'none'"* ]] || { echo "FAIL $step: the form has no Content-Security-Policy" >&2; exit 1; }
# The page names its scripts as /api/form/app.js?v=<hash>; fetch the first one as the browser would.
asset="$(grep -Eo 'src="/api/form/[^"]+"' "$work/body" | head -1 | sed -E 's/^src="\/api\///; s/"$//')"
[ -n "$asset" ] || { echo "FAIL $step: the form page references no script under /api/form/" >&2; exit 1; }
call 200 GET "$asset"

echo "Smoke test passed against $base (cycle $cycle, submission version $version, report request $request_id)."
