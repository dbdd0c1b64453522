#!/usr/bin/env bash
# azd postdeploy hook: subscribe the two Event Grid blob-triggered functions to BlobCreated events,
# through the Event Grid system topic that main.bicep created:
#   submissions container      -> CompileDraftReport (a draft is recompiled as submissions arrive)
#   report-requests container  -> CompileFinalReport (a coordinator's request for the final report)
#
# Why after deployment and not in Bicep: the webhook URLs carry the function app's
# `blobs_extension` system key, and the Functions host creates that key only once code with an
# Event Grid blob trigger is running. So `azd provision` creates the system topic, `azd deploy`
# uploads the code, and this hook (run by `azd deploy` and `azd up`) creates or updates the
# subscriptions. Running it again is harmless: the create command overwrites a subscription.
# A function that is not deployed is skipped with a message (exit 0); the other is still subscribed.
#
# Reads (azd puts main.bicep outputs in the environment):
#   AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME, AZURE_EVENTGRID_SYSTEM_TOPIC_NAME
#   SUBMISSIONS_CONTAINER_NAME       (default: submissions)
#   BLOB_TRIGGER_FUNCTION_NAME       (default: CompileDraftReport)
#   EVENT_SUBSCRIPTION_NAME          (default: submissions-blob-created)
#   REPORT_REQUESTS_CONTAINER_NAME   (default: report-requests)
#   FINAL_REPORT_FUNCTION_NAME       (default: CompileFinalReport)
#   FINAL_REPORT_SUBSCRIPTION_NAME   (default: report-requests-blob-created)
#   KEY_WAIT_ATTEMPTS                (default: 12; 10 seconds apart)
#
# Usage: postdeploy.sh [--dry-run]
#   --dry-run  print the az commands instead of running them (no Azure access needed).
set -euo pipefail

dry_run=false
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "postdeploy: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
for name in AZURE_RESOURCE_GROUP AZURE_FUNCTION_APP_NAME AZURE_EVENTGRID_SYSTEM_TOPIC_NAME; do
  if [[ -z "${!name:-}" ]]; then missing+=("$name"); fi
done
if (( ${#missing[@]} > 0 )); then
  echo "postdeploy: missing environment variables: ${missing[*]} (run 'azd provision' first)" >&2
  exit 1
fi

resource_group="$AZURE_RESOURCE_GROUP"
app="$AZURE_FUNCTION_APP_NAME"
topic="$AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"
attempts="${KEY_WAIT_ATTEMPTS:-12}"

# One subscription per Event Grid blob trigger: "subscription name|function name|container".
subscriptions=(
  "${EVENT_SUBSCRIPTION_NAME:-submissions-blob-created}|${BLOB_TRIGGER_FUNCTION_NAME:-CompileDraftReport}|${SUBMISSIONS_CONTAINER_NAME:-submissions}"
  "${FINAL_REPORT_SUBSCRIPTION_NAME:-report-requests-blob-created}|${FINAL_REPORT_FUNCTION_NAME:-CompileFinalReport}|${REPORT_REQUESTS_CONTAINER_NAME:-report-requests}"
)

endpoint_base() { printf 'https://%s.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.%s' "$app" "$1"; }
subject_prefix() { printf '/blobServices/default/containers/%s/blobs/' "$1"; }

# Prints a command as one line that can be pasted into a shell.
show() {
  local out="+" word
  for word in "$@"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=,+@-]+$ ]]; then out+=" $word"; else out+=" '${word//\'/\'\\\'\'}'"; fi
  done
  printf '%s\n' "$out"
}

# Runs a command, or only shows it in a dry run.
run() {
  if $dry_run; then show "$@"; else "$@"; fi
}

if $dry_run; then
  echo "postdeploy (dry run): commands that would run"
elif ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is needed to create the Event Grid subscriptions; see the Deployment section of README.md" >&2
  exit 1
fi

# 1. Which of the blob-triggered functions are deployed?
deployed=()
for entry in "${subscriptions[@]}"; do
  IFS='|' read -r _ function_name _ <<<"$entry"
  function_show=(az functionapp function show --resource-group "$resource_group" --name "$app" --function-name "$function_name" --output none)
  if $dry_run; then
    show "${function_show[@]}"
    deployed+=("$entry")
  elif "${function_show[@]}" 2>/dev/null; then
    deployed+=("$entry")
  else
    echo "postdeploy: function '$function_name' is not deployed yet; no Event Grid subscription created for it." >&2
  fi
done
if (( ${#deployed[@]} < ${#subscriptions[@]} )); then
  echo "postdeploy: once deployed, run 'azd hooks run postdeploy' (or 'azd deploy') again." >&2
fi
if (( ${#deployed[@]} == 0 )); then exit 0; fi

# 2. The blobs_extension system key (created by the host shortly after start), fetched once for all.
keys_list=(az functionapp keys list --resource-group "$resource_group" --name "$app" --query systemKeys.blobs_extension --output tsv)
if $dry_run; then
  show "${keys_list[@]}"
  key="<blobs_extension key>"
else
  key=""
  for ((i = 1; i <= attempts; i++)); do
    key="$("${keys_list[@]}" 2>/dev/null || true)"
    if [[ -n "$key" && "$key" != "None" ]]; then break; fi
    key=""
    echo "postdeploy: waiting for the blobs_extension key ($i/$attempts)..."
    sleep 10
  done
  if [[ -z "$key" ]]; then
    echo "postdeploy: the function app has no blobs_extension system key yet; is the host running?" >&2
    exit 1
  fi
fi

# 3. Create or update each subscription (a PUT: running it again is harmless).
for entry in "${deployed[@]}"; do
  IFS='|' read -r subscription_name function_name container <<<"$entry"
  endpoint="$(endpoint_base "$function_name")"
  prefix="$(subject_prefix "$container")"
  if ! $dry_run; then
    echo "postdeploy: subscribing ${endpoint}&code=*** to BlobCreated under ${prefix}"
  fi
  run az eventgrid system-topic event-subscription create \
    --name "$subscription_name" \
    --resource-group "$resource_group" \
    --system-topic-name "$topic" \
    --endpoint-type webhook \
    --endpoint "${endpoint}&code=${key}" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "$prefix" \
    --max-delivery-attempts 30 \
    --event-ttl 1440 \
    --output none
  if ! $dry_run; then
    echo "postdeploy: Event Grid subscription '$subscription_name' is in place."
  fi
done
