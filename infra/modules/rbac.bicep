// Role assignments. The app's identity gets exactly what the Functions host and the app need, scoped
// to the containers and tables it uses (never a data role on the whole account for blobs or tables);
// the deploying person can optionally get data roles to inspect blobs and tables.
// Built-in role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles

@description('Principal id (object id) of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Name of the storage account.')
param storageAccountName string

@description('Containers the app and the Functions host use (the app gets Storage Blob Data Contributor on each).')
param containers array

@description('Tables the app uses (the app gets Storage Table Data Contributor on each).')
param tables array

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Object id of the deploying user or pipeline; empty for none.')
param deployerPrincipalId string = ''

@description('Kind of the deploying principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string = 'User'

@description('Give the deploying principal data roles (blob, queue and table data contributor).')
param grantDeployerDataAccess bool = false

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// --- the app's identity ------------------------------------------------------------------------

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource appContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [
  for container in containers: {
    parent: blobService
    name: container
  }
]

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' existing = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

// Storage Blob Data Contributor on each container: submissions, reports, drafts, report requests, the host's
// leases/timer status/blob receipts/keys and the deployment package.
resource appBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in containers: {
    name: guid(appContainers[i].id, appPrincipalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    scope: appContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Storage Table Data Contributor on each table.
resource appTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (table, i) in tables: {
    name: guid(appTables[i].id, appPrincipalId, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    scope: appTables[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Storage Queue Data Contributor on the account: the host creates its queues (blob trigger poison queue) by name at
// run time. Queues hold blob names, never content.
resource appQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher: Entra ID authenticated telemetry (local auth is off on the component).
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// --- the deploying principal (optional) ----------------------------------------------------------

var grantDeployer = grantDeployerDataAccess && !empty(deployerPrincipalId)

// Storage Blob Data Contributor
resource deployerBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {
  name: guid(storage.id, deployerPrincipalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

// Storage Queue Data Contributor
resource deployerQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {
  name: guid(storage.id, deployerPrincipalId, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

// Storage Table Data Contributor
resource deployerTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantDeployer) {
  name: guid(storage.id, deployerPrincipalId, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
