#!/usr/bin/env bash
# azd postprovision hook: the Microsoft Entra ID app registration staff sign in with, through App
# Service Authentication ("Easy Auth", authsettingsV2 in infra/modules/functionapp.bicep).
#
#   - Finds the registration (ENTRA_CLIENT_ID, else by display name) or creates it: single tenant,
#     ID token issuance on (sign-in needs no client secret), redirect URI
#     {SERVICE_API_URI}/.auth/login/aad/callback (and one on NAP_PUBLIC_BASE_URL if that differs).
#   - Sets its app roles from infra/entra-app-roles.json (Nap.Reader, Nap.Coordinator, Nap.Admin,
#     Nap.Confidential; fixed ids, so running it again changes nothing).
#   - Makes sure it has a service principal (the "enterprise application" where roles are assigned)
#     with assignment required: only people or groups given a role can sign in at all.
#   - Writes ENTRA_CLIENT_ID and ENTRA_TENANT_ID to the azd environment; main.parameters.json passes
#     them to Bicep. On the first run the registration is newer than the deployment: run
#     `azd provision` once more to turn App Service Authentication on.
#
# Needs: the Azure CLI signed in as someone who may create app registrations in the tenant
# (Application Developer or Application Administrator). Roles are assigned afterwards in the
# Entra admin center: Enterprise applications > the app > Users and groups.
#
# Reads: SERVICE_API_URI (a main.bicep output), AZURE_ENV_NAME, ENTRA_CLIENT_ID, ENTRA_TENANT_ID,
#        AZURE_TENANT_ID, ENTRA_APP_NAME (default "NAP 1325 reporting ({AZURE_ENV_NAME})"),
#        NAP_PUBLIC_BASE_URL.
#
# Usage: entra-app.sh [--dry-run]
#   --dry-run  print the az/azd commands instead of running them (no Azure access needed).
set -euo pipefail

dry_run=false
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "entra-app: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

if [[ -z "${SERVICE_API_URI:-}" ]]; then
  echo "entra-app: missing environment variable SERVICE_API_URI (run 'azd provision' first)" >&2
  exit 1
fi

roles_file="$(cd "$(dirname "$0")/.." && pwd)/entra-app-roles.json"
display_name="${ENTRA_APP_NAME:-NAP 1325 reporting (${AZURE_ENV_NAME:-dev})}"
redirects=("${SERVICE_API_URI%/}/.auth/login/aad/callback")
public="${NAP_PUBLIC_BASE_URL:-}"
if [[ -n "$public" && "${public%/}" != "${SERVICE_API_URI%/}" ]]; then
  redirects+=("${public%/}/.auth/login/aad/callback")
fi

show() {
  local out="+" word
  for word in "$@"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=,+@-]+$ ]]; then out+=" $word"; else out+=" '${word//\'/\'\\\'\'}'"; fi
  done
  printf '%s\n' "$out"
}

run() {
  if $dry_run; then show "$@"; else "$@"; fi
}

# Runs a look-up that prints one value (captured by the caller); in a dry run shows it on the
# script's own stdout (fd 3) and yields nothing, as if not found.
exec 3>&1
lookup() {
  if $dry_run; then show "$@" >&3; else "$@" 2>/dev/null || true; fi
}

if $dry_run; then
  echo "entra-app (dry run): commands that would run"
elif ! command -v az >/dev/null 2>&1; then
  echo "entra-app: the Azure CLI (az) is needed to create the app registration; see docs (staff sign-in)" >&2
  exit 1
fi

# 1. The registration: the one named in the environment, else the one with this display name, else a new one.
client_id="${ENTRA_CLIENT_ID:-}"
was_configured=true
if [[ -z "$client_id" ]]; then
  was_configured=false
  client_id="$(lookup az ad app list --display-name "$display_name" --query '[0].appId' --output tsv)"
fi
if [[ -z "$client_id" || "$client_id" == "None" ]]; then
  echo "entra-app: creating the app registration '$display_name'."
  create=(az ad app create --display-name "$display_name" --sign-in-audience AzureADMyOrg
    --enable-id-token-issuance true --web-redirect-uris "${redirects[@]}" --app-roles "$roles_file"
    --query appId --output tsv)
  if $dry_run; then
    show "${create[@]}"
    client_id="<new client id>"
  else
    client_id="$("${create[@]}")"
  fi
fi

# 2. Roles, redirect URIs and ID tokens, every run (an update with the same values changes nothing).
run az ad app update --id "$client_id" --enable-id-token-issuance true --web-redirect-uris "${redirects[@]}" --app-roles "$roles_file"

# 3. The service principal, where roles are assigned; only assigned people and groups may sign in.
sp="$(lookup az ad sp show --id "$client_id" --query id --output tsv)"
if [[ -z "$sp" ]]; then
  run az ad sp create --id "$client_id" --output none
fi
run az ad sp update --id "$client_id" --set appRoleAssignmentRequired=true

# 4. Client and tenant for Bicep (main.parameters.json: ENTRA_CLIENT_ID, ENTRA_TENANT_ID).
tenant="${ENTRA_TENANT_ID:-${AZURE_TENANT_ID:-}}"
if [[ -z "$tenant" ]]; then
  if $dry_run; then
    show az account show --query tenantId --output tsv
    tenant="<tenant id>"
  else
    tenant="$(az account show --query tenantId --output tsv)"
  fi
fi
run azd env set ENTRA_CLIENT_ID "$client_id"
run azd env set ENTRA_TENANT_ID "$tenant"

if ! $was_configured; then
  echo "entra-app: app registration $client_id is ready. Run 'azd provision' once more to turn on App Service Authentication with it;"
  echo "entra-app: until then staff routes answer 503 (sign-in is not configured). Assign the Nap.* roles in the Entra admin center."
else
  echo "entra-app: app registration $client_id is up to date."
fi
