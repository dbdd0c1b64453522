// Key Vault in RBAC mode for the token signing keys. The app reads them through Key Vault
// references (Tokens__Keys__N__Secret=@Microsoft.KeyVault(SecretUri=...)) with its user-assigned
// identity; nobody gets access policies.

@description('Name of the vault (3-24 letters, digits and hyphens).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the vault.')
param tags object = {}

@description('When true, public network access is disabled; the app reaches the vault through a private endpoint.')
param privateNetworking bool = false

@description('Purge protection: a deleted vault or secret cannot be purged during the retention period. Irreversible once on.')
param enablePurgeProtection bool = true

@description('Secret name for the active signing key; empty to leave the secrets untouched.')
param signingKeySecretName string = ''

@description('Key material (base64, at least 32 bytes) for the active signing key. Written only when not empty.')
@secure()
param signingKeySecretValue string = ''

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

// Written through Azure Resource Manager (control plane), so it also works when the vault's
// data plane is reachable only from the virtual network.
resource signingKey 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(signingKeySecretName) && !empty(signingKeySecretValue)) {
  parent: vault
  name: empty(signingKeySecretName) ? 'unused' : signingKeySecretName
  properties: {
    value: signingKeySecretValue
    contentType: 'application/vnd.nap1325.hmac-key+base64'
    attributes: {
      enabled: true
    }
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
