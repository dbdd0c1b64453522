// Log Analytics workspace and workspace-based Application Insights, both with local
// (key-based) authentication disabled: telemetry is sent with the app's managed identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) and the Monitoring Metrics Publisher role.

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region.')
param location string

@description('Tags applied to the resources.')
param tags object = {}

@description('Days of log retention (30 days is included in the Log Analytics price).')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Days the audit tables are kept: storage data-plane logs (StorageBlobLogs, StorageTableLogs) and Key Vault audit events (AzureDiagnostics). Interactive for up to 730 days, archived beyond.')
@minValue(30)
@maxValue(4383)
param auditRetentionInDays int = 365

// The tables the diagnostic settings of storage (resource-specific) and Key Vault (AzureDiagnostics) write to.
var auditTables = [
  'StorageBlobLogs'
  'StorageTableLogs'
  'AzureDiagnostics'
]

@description('Daily ingestion cap in GB, a guard against runaway logging costs (-1 = no cap).')
param dailyQuotaGb int = 1

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyQuotaGb
    }
    features: {
      disableLocalAuth: true
    }
  }
}

resource auditTableRetention 'Microsoft.OperationalInsights/workspaces/tables@2025-02-01' = [
  for table in auditTables: {
    parent: workspace
    name: table
    properties: {
      retentionInDays: min(auditRetentionInDays, 730)
      totalRetentionInDays: auditRetentionInDays
    }
  }
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    RetentionInDays: retentionInDays
  }
}

output applicationInsightsId string = appInsights.id
output applicationInsightsName string = appInsights.name
// The connection string names the component; with local auth disabled it grants no access on its own.
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
output logAnalyticsId string = workspace.id
