// The one storage account of the app: Functions host state (AzureWebJobsStorage), the deployment
// package container of the Flex Consumption app, and the app's own blobs and tables (NapStorage).
// Entra ID only (shared keys off), no anonymous blob access, TLS 1.2, HTTPS only; blob soft delete
// and versioning so that a submission survives an overwrite or a delete by mistake.

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Replication: Standard_LRS is enough for this volume; Standard_ZRS where the baseline asks for zone redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Blob containers to create.')
param containers array

@description('Tables to create.')
param tables array

@description('Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('When true, public network access is disabled and the app reaches the account through private endpoints.')
param privateNetworking bool = false

@description('Days a deleted or overwritten blob (or deleted container) can be restored.')
@minValue(7)
@maxValue(365)
param softDeleteRetentionDays int = 30

@description('Days after which superseded versions of host bookkeeping and deployment-package blobs are deleted. Versions of submissions and reports are kept.')
@minValue(1)
param housekeepingVersionRetentionDays int = 7

@description('Days after its last save that a draft of the web form left behind is deleted (the privacy statement says 180). Superseded draft versions (every autosave) go after a day.')
@minValue(1)
param draftRetentionDays int = 180

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // AzureServices lets the Event Grid system topic and Azure Monitor reach the account.
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: false
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in union(containers, [deploymentContainerName]): {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

// Versioning keeps every overwrite; for the host's lease/receipt blobs and the deployment packages
// that is noise, so their superseded versions are removed after a few days.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-housekeeping-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'azure-webjobs-hosts/'
                'azure-webjobs-secrets/'
                '${deploymentContainerName}/'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: housekeepingVersionRetentionDays
                }
              }
            }
          }
        }
        {
          // Drafts are personal scratch space: autosave overwrites them every few seconds, and the form deletes
          // them on submission. Neither their old versions nor a forgotten draft are kept.
          name: 'expire-drafts'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'drafts/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: draftRetentionDays
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: 1
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    blobService
  ]
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
