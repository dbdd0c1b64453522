// The one storage account of the app: Functions host state (AzureWebJobsStorage), the deployment
// package container of the Flex Consumption app, and the app's own blobs and tables (NapStorage).
// Entra ID only (shared keys off), no anonymous blob access, TLS 1.2, HTTPS only; blob soft delete
// and versioning so that a submission survives an overwrite or a delete by mistake. No public network
// access by default (private endpoints, see network.bicep); every data-plane read, write and delete
// on blobs and tables is logged to Log Analytics; retention by lifecycle rules (blobs) and the app's
// retention timer (table rows); optionally encrypted with a customer-managed key.

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

@description('The Functions host\'s containers (created here so the app\'s roles can be scoped to them).')
param hostContainers array = []

@description('Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('When true, public network access is disabled and the app reaches the account through private endpoints.')
param privateNetworking bool = false

@description('Log Analytics workspace that receives the blob and table data-plane logs (reads, writes, deletes).')
param logAnalyticsWorkspaceId string

@description('Name of the customer-managed key in the Key Vault; empty for Microsoft-managed keys.')
param customerManagedKeyName string = ''

@description('URI of the Key Vault that holds the customer-managed key.')
param keyVaultUri string = ''

@description('Resource id of the user-assigned identity the account reads the customer-managed key with.')
param encryptionIdentityId string = ''

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

@description('Days a final-report request blob is kept.')
@minValue(1)
param reportRequestRetentionDays int = 90

@description('Days a submission blob (and its versions) is kept; 0 keeps it (until the coordinators archive the cycle).')
@minValue(0)
param submissionRetentionDays int = 0

@description('Days a report file (and its versions) is kept; 0 keeps it (until the coordinators archive the cycle).')
@minValue(0)
param reportVersionRetentionDays int = 0

var customerManagedKey = !empty(customerManagedKeyName)

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  identity: customerManagedKey
    ? {
        type: 'UserAssigned'
        userAssignedIdentities: {
          '${encryptionIdentityId}': {}
        }
      }
    : null
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
    // keyType Account on every service: the account's key (Microsoft- or customer-managed) covers tables and
    // queues too. (A service's key type is fixed when the account is created.)
    encryption: {
      keySource: customerManagedKey ? 'Microsoft.Keyvault' : 'Microsoft.Storage'
      keyvaultproperties: customerManagedKey
        ? {
            keyname: customerManagedKeyName
            keyvaulturi: keyVaultUri
          }
        : null
      identity: customerManagedKey
        ? {
            userAssignedIdentity: encryptionIdentityId
          }
        : null
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
        table: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
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
  for container in union(containers, hostContainers, [deploymentContainerName]): {
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

// Data-plane audit: who (identity, IP) read, wrote or deleted which blob or table entity, and when.
var dataPlaneLogs = [
  {
    category: 'StorageRead'
    enabled: true
  }
  {
    category: 'StorageWrite'
    enabled: true
  }
  {
    category: 'StorageDelete'
    enabled: true
  }
]

resource blobAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: dataPlaneLogs
  }
}

resource tableAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: dataPlaneLogs
  }
}

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
        {
          name: 'expire-report-requests'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'report-requests/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: reportRequestRetentionDays
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: reportRequestRetentionDays
                }
              }
            }
          }
        }
        // Off by default (0 days): submissions and reports are the ministry's record until the cycle is archived.
        {
          name: 'expire-submissions'
          enabled: submissionRetentionDays > 0
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'submissions/'
                'confidential/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: max(submissionRetentionDays, 1)
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: max(submissionRetentionDays, 1)
                }
              }
            }
          }
        }
        {
          name: 'expire-reports'
          enabled: reportVersionRetentionDays > 0
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                'reports/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: max(reportVersionRetentionDays, 1)
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: max(reportVersionRetentionDays, 1)
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
