// Key Vault in RBAC mode; nobody gets access policies and the vault holds no secrets. Its RSA keys
// are not exportable, each with the one role that uses it scoped to that key: the key that signs
// signatory links and the key that wraps the keys of client-side encrypted blobs (the app, Key
// Vault Crypto User) and, optionally, the storage account's customer-managed key (the same
// identity as the storage account's encryption identity, Key Vault Crypto Service Encryption User).
// Audit events (every secret and key operation) go to Log Analytics.

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

@description('Log Analytics workspace that receives the vault\'s audit events.')
param logAnalyticsWorkspaceId string

@description('Principal id of the app\'s user-assigned identity (uses the data key; is the storage account\'s encryption identity).')
param appPrincipalId string

@description('Create the storage account\'s customer-managed key (storage-cmk).')
param createStorageKey bool = false

@description('Name of the RSA key that wraps the content keys of client-side encrypted blobs (Keys__KeyName).')
param dataKeyName string = 'data-kek'

@description('Name of the storage account\'s customer-managed key.')
param storageKeyName string = 'storage-cmk'

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

// Created through Azure Resource Manager (control plane); the private key never leaves the vault.
resource dataKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: dataKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
  }
}

// The key that signs the signatories' personal links (RS256). Created through Azure Resource Manager; the private key
// never leaves the vault, and nobody can export it: the app asks Key Vault to sign.
resource linkKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: 'link-signing'
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'sign'
      'verify'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
  }
}

// Key Vault Crypto User (built-in role) on the link key only: get and sign for the app.
resource appLinkKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(linkKey.id, appPrincipalId, '12338af0-0e69-4776-bea7-57ae8d297424')
  scope: linkKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '12338af0-0e69-4776-bea7-57ae8d297424')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault Crypto User (built-in role) on this key only: get, wrapKey and unwrapKey for the app, nothing else in the vault.
resource appDataKeyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataKey.id, appPrincipalId, '12338af0-0e69-4776-bea7-57ae8d297424')
  scope: dataKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '12338af0-0e69-4776-bea7-57ae8d297424')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource storageKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = if (createStorageKey) {
  parent: vault
  name: storageKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'wrapKey'
      'unwrapKey'
    ]
    attributes: {
      enabled: true
      exportable: false
    }
    rotationPolicy: {
      attributes: {
        expiryTime: 'P2Y'
      }
      lifetimeActions: [
        {
          action: {
            type: 'rotate'
          }
          trigger: {
            timeAfterCreate: 'P1Y'
          }
        }
      ]
    }
  }
}

// The storage account unwraps its account key with this key through the user-assigned identity; created in this
// module so the role exists before the account is configured with the key.
// Key Vault Crypto Service Encryption User (built-in role) on this key only.
resource storageKeyEncryptionUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (createStorageKey) {
  name: guid(vault.id, storageKeyName, appPrincipalId, 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
  scope: storageKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'e147488a-f6f5-4113-8e2d-b22465e65bf6')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource auditToLogAnalytics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

output id string = vault.id
output dataKeyName string = dataKey.name
output storageKeyName string = storageKeyName
output name string = vault.name
output uri string = vault.properties.vaultUri
