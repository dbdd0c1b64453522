#!/usr/bin/env bash
# azd preprovision hook: make sure `azd provision` has key material for the active token signing
# key, without ever overwriting a key that already signs links.
#
# The key material goes to Key Vault as secret token-signing-{TOKEN_ACTIVE_KEY_ID} through the
# secure Bicep parameter tokenSigningKeySecret (fed from TOKEN_SIGNING_KEY_SECRET in the azd
# environment, which lives in .azure/ and is never committed). The app reads it through a Key
# Vault reference; it is never an app setting value.
#
#   - The azd environment already holds material for the active key id: nothing to do.
#   - The vault already has a secret for the active key id (a re-provision from another machine,
#     or a key added by hand): TOKEN_SIGNING_KEY_SECRET is cleared so Bicep leaves it untouched.
#   - Otherwise (first provision, or a new key id during rotation): 32 random bytes, base64.
#
# Reads: TOKEN_ACTIVE_KEY_ID (default key-1), TOKEN_SIGNING_KEY_IDS (default key-1),
#        TOKEN_SIGNING_KEY_SECRET, TOKEN_SIGNING_KEY_SECRET_KEY_ID,
#        AZURE_RESOURCE_GROUP and AZURE_KEY_VAULT_NAME (known after the first provision).
#
# Usage: preprovision.sh [--dry-run]
#   --dry-run  print the az/azd commands instead of running them; no key is generated.
set -euo pipefail

dry_run=false
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "preprovision: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

active="${TOKEN_ACTIVE_KEY_ID:-key-1}"
ids="${TOKEN_SIGNING_KEY_IDS:-key-1}"

# Key ids become Key Vault secret names (token-signing-{id}): letters, digits and hyphens.
listed=false
IFS=',' read -r -a id_list <<< "$ids"
for raw in "${id_list[@]}"; do
  # Trim the ends only, as main.bicep does (trim()): an inner space is an error, not ignored.
  id="${raw#"${raw%%[![:space:]]*}"}"
  id="${id%"${id##*[![:space:]]}"}"
  [[ -z "$id" ]] && continue
  if [[ ! "$id" =~ ^[A-Za-z0-9-]{1,100}$ ]]; then
    echo "preprovision: signing key id '$id' may contain only letters, digits and hyphens" >&2
    exit 1
  fi
  [[ "$id" == "$active" ]] && listed=true
done
if ! $listed; then
  echo "preprovision: TOKEN_ACTIVE_KEY_ID '$active' is not in TOKEN_SIGNING_KEY_IDS '$ids'" >&2
  exit 1
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

secret_name="token-signing-${active}"
$dry_run && echo "preprovision (dry run): commands that would run"

if [[ -n "${TOKEN_SIGNING_KEY_SECRET:-}" && "${TOKEN_SIGNING_KEY_SECRET_KEY_ID:-}" == "$active" ]]; then
  echo "preprovision: key material for signing key '$active' is already in the azd environment."
  exit 0
fi

# Does the vault already hold this key? Asked through Azure Resource Manager (secret metadata
# only, no value), which needs no data-plane role and works with private networking.
exists=false
if [[ -n "${AZURE_KEY_VAULT_NAME:-}" && -n "${AZURE_RESOURCE_GROUP:-}" ]]; then
  secret_show=(az resource show --resource-group "$AZURE_RESOURCE_GROUP" --namespace Microsoft.KeyVault
    --parent "vaults/${AZURE_KEY_VAULT_NAME}" --resource-type secrets --name "$secret_name" --query id --output tsv)
  if $dry_run; then
    show "${secret_show[@]}"
    echo "preprovision (dry run): assuming secret '$secret_name' does not exist yet"
  else
    if ! command -v az >/dev/null 2>&1; then
      echo "preprovision: the Azure CLI (az) is needed to check Key Vault for '$secret_name'" >&2
      exit 1
    fi
    if output="$("${secret_show[@]}" 2>&1)"; then
      exists=true
    elif ! grep -qiE 'ResourceNotFound|NotFound|was not found' <<< "$output"; then
      echo "preprovision: cannot tell whether Key Vault secret '$secret_name' exists:" >&2
      echo "$output" >&2
      echo "preprovision: refusing to generate a key that could replace one in use." >&2
      exit 1
    fi
  fi
fi

if $exists; then
  echo "preprovision: Key Vault already holds '$secret_name'; provisioning leaves it untouched."
  run azd env set TOKEN_SIGNING_KEY_SECRET ""
  run azd env set TOKEN_SIGNING_KEY_SECRET_KEY_ID ""
  exit 0
fi

echo "preprovision: generating key material for signing key '$active' (32 random bytes, base64)."
if $dry_run; then
  show azd env set TOKEN_SIGNING_KEY_SECRET "<32 random bytes, base64>"
else
  secret="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  azd env set TOKEN_SIGNING_KEY_SECRET "$secret" >/dev/null
  unset secret
fi
run azd env set TOKEN_SIGNING_KEY_SECRET_KEY_ID "$active"
