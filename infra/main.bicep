// NAP 1325-IV reporting backend: everything `azd up` provisions.
// Local modules only (infra/modules): public registry modules (br/public:) cannot be restored on
// machines without internet access.
targetScope = 'subscription'

// --- environment ---------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; with the subscription and region it seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Azure region of all resources (Flex Consumption must be available there, e.g. westeurope, northeurope, swedencentral).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create; default rg-{environmentName}.')
param resourceGroupName string = ''

@description('Object id of the person or pipeline running the deployment (azd sets AZURE_PRINCIPAL_ID).')
param principalId string = ''

@description('Kind of that principal.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Give the deploying principal data roles on storage and Key Vault (for inspection and manual key rotation).')
param grantDeployerDataAccess bool = false

// --- hosting and security options ----------------------------------------------------------------

@description('Storage and Key Vault without public network access, reached through private endpoints from the VNet-integrated function app (BIO baseline; the default). false gives public endpoints (still Entra ID only), for trials.')
param privateNetworking bool = true

@description('Encrypt the storage account with a customer-managed key (RSA key storage-cmk in the Key Vault, used by the app\'s identity) instead of a Microsoft-managed key. Needs purge protection on the vault.')
param storageCustomerManagedKey bool = false

@description('Days the audit trail is kept in Log Analytics: storage data-plane reads, writes and deletes (blob and table) and Key Vault audit events.')
@minValue(30)
@maxValue(4383)
param auditLogRetentionDays int = 365

@description('Days the other logs and telemetry (Application Insights, Log Analytics workspace default) are kept.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Memory per Flex Consumption instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on Flex Consumption instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Purge protection on the Key Vault (recommended; irreversible once on).')
param keyVaultPurgeProtection bool = true

@description('Origins allowed to call the API from a browser (CORS); empty for none.')
param allowedOrigins array = []

// --- retention (docs/privacy/data-inventory.en.md lists every store with its rule) -----------------

@description('Days after its last save that a web-form draft is deleted (storage lifecycle rule).')
@minValue(1)
param draftRetentionDays int = 180

@description('Days a coordinator\'s final-report request blob is kept (storage lifecycle rule); the report itself is kept as a report version.')
@minValue(1)
param reportRequestRetentionDays int = 90

@description('Days a submission (blob and index rows) is kept; 0 keeps it until the coordinators archive the cycle (the ministry\'s archive rules), which is the default.')
@minValue(0)
param submissionRetentionDays int = 0

@description('Days a report version (files and row) is kept; 0 keeps it until the coordinators archive the cycle, which is the default.')
@minValue(0)
param reportVersionRetentionDays int = 0

@description('Retention__Schedule: NCRONTAB (UTC, six fields) of the retention sweep that deletes expired table rows.')
param retentionSchedule string = '0 30 3 * * *'

@description('Retention__ReminderLedgerDays: days after its claim that a reminder ledger row is deleted (longer than a reporting cycle, so nobody is reminded twice).')
@minValue(1)
param reminderLedgerRetentionDays int = 548

@description('Retention__LinkRequestDays: days a link-request rate-limit row (a hashed address and an hour) is kept.')
@minValue(1)
param linkRequestRetentionDays int = 2

@description('Retention__AuditDays: days an audit trail row (who did what, when) is kept; at least a year.')
@minValue(365)
param auditRetentionDays int = 730

// --- alerts --------------------------------------------------------------------------------------

@description('Email address of the operator who receives alerts.')
param operatorEmail string = ''

@description('Whether the "no reminder sweep in 26 hours" alert is on.')
param enableSweepAlert bool = true

// --- application settings (each becomes an app setting; see local.settings.sample.json) ----------

@description('Nap__FrameworkFile: the results framework file, relative to the app folder.')
param napFrameworkFile string = 'data/framework.sample.json'

@description('Nap__MaxBodyBytes: largest accepted request body.')
param napMaxBodyBytes int = 1000000

@description('Nap__RegistryCacheSeconds: how long the registry and cycles are cached.')
param napRegistryCacheSeconds int = 15

@description('Nap__LatestSnapshotSeconds: how long an instance trusts its view of the latest submission versions (stale is safe, only slower).')
param napLatestSnapshotSeconds int = 60

@description('Nap__PublicBaseUrl: public base URL for links in emails; default https://{function app}.azurewebsites.net.')
param napPublicBaseUrl string = ''

@description('Tokens__Issuer')
param tokenIssuer string = 'nap1325'

@description('Tokens__Audience')
param tokenAudience string = 'nap1325-api'

@description('Tokens__GraceDays: a signatory link stays valid this many days after its cycle\'s (or the signatory\'s extended) deadline.')
@minValue(0)
@maxValue(366)
param tokenGraceDays int = 14

@description('Tokens__MaxLifetimeDays: no signatory link lives longer than this from its issue, whatever its deadline.')
@minValue(1)
@maxValue(366)
param tokenMaxLifetimeDays int = 60

@description('Reminders__Schedule: NCRONTAB (UTC, six fields) of the daily reminder sweep.')
param remindersSchedule string = '0 0 6 * * *'

@description('Reminders__Coordinators: comma-separated email addresses of the coordinators.')
param remindersCoordinators string = ''

@description('Reminders__MessagesPerMinute: send rate limit towards Microsoft Graph.')
param remindersMessagesPerMinute int = 30

@description('Reminders__MaxConcurrentSends')
param remindersMaxConcurrentSends int = 4

@description('Graph__TenantId: tenant of the mailbox and SharePoint site; default the subscription\'s tenant.')
param graphTenantId string = ''

@description('Graph__ClientId: an app registration\'s client id; empty uses the function app\'s managed identity.')
param graphClientId string = ''

@description('Graph__Mailbox: the shared mailbox reminders are sent from.')
param graphMailbox string = ''

@description('Graph__SaveToSentItems: false (default) sends an HTML-only JSON body with saveToSentItems=false, so no copy of a personal link stays in Sent Items; true sends MIME (text and HTML parts; Exchange keeps a copy).')
param graphSaveToSentItems bool = false

@description('Graph__BaseUrl')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('SharePoint__SiteId: the site reports are published to.')
param sharePointSiteId string = ''

@description('SharePoint__DriveId: the document library on that site.')
param sharePointDriveId string = ''

@description('SharePoint__Folder: folder in that library.')
param sharePointFolder string = 'NAP1325 rapportages'

@description('Reports__CoalesceSeconds: a draft is compiled once no submission has arrived for this long, so a burst becomes one compilation. At most Reports__MaxDelaySeconds (300): under a steady stream of submissions a draft is still compiled at least that often.')
@minValue(0)
@maxValue(300)
param reportsCoalesceSeconds int = 30

@description('Name of the blob-triggered function that Event Grid calls for new submissions (used by the post-deploy hook).')
param blobTriggerFunctionName string = 'CompileDraftReport'

@description('Name of the blob-triggered function that Event Grid calls for final-report requests in the report-requests container (used by the post-deploy hook).')
param finalReportFunctionName string = 'CompileFinalReport'

@description('Tenant of the Entra ID app registration staff sign in with; empty for the subscription\'s tenant. Set by the postprovision hook (ENTRA_TENANT_ID).')
param entraTenantId string = ''

@description('Application (client) id of the Entra ID app registration staff sign in with (ENTRA_CLIENT_ID, set by infra/hooks/entra-app.sh). Empty: App Service Authentication stays off and staff routes answer 503.')
param entraClientId string = ''

// --- names ---------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  workload: 'nap1325-iv-reporting'
}
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-nap-${resourceToken}'
  plan: 'plan-nap-${resourceToken}'
  functionApp: 'func-nap-${resourceToken}'
  storage: 'stnap${resourceToken}'
  keyVault: 'kv-nap-${resourceToken}'
  logAnalytics: 'log-nap-${resourceToken}'
  applicationInsights: 'appi-nap-${resourceToken}'
  vnet: 'vnet-nap-${resourceToken}'
  systemTopic: 'evgt-nap-${resourceToken}'
  deploymentContainer: 'app-package-${take(resourceToken, 7)}'
  alerts: 'nap-${resourceToken}'
}

// Tables and containers the app uses: exactly the names in Nap.Storage.StorageNames and
// Nap.Reports.ReportStorageNames (checked by the infra tests). The code also creates them on first use.
var storageTables = [
  'Signatories'
  'Cycles'
  'Submissions'
  'CycleSignatorySettings'
  'ReminderLedger' // also the link-request rate limit rows
  'ReportVersions' // also final-report request rows and the draft-compilation schedule row
  'ReportAggregates'
  'Audit' // append-only audit trail: staff actions and reads of submission content
  'Reviews' // review state per signatory and cycle, and the history of reviews with their comments
  'RevokedLinks' // signatory links revoked one by one, by link id
  'SubmissionContacts' // the contact person per submission version, apart from the hashed bodies (erasable)
  'Verifications' // one-time code hashes and verified sessions for reading confidential parts back
]
var storageContainers = [
  'submissions'
  'reports'
  'report-requests'
  'drafts'
  'confidential' // client-side encrypted confidential parts of submissions; never read by the compiler
]
// The Functions host's own containers (AzureWebJobsStorage: leases, timer status, blob receipts, host keys), created
// here so that the app's identity needs data roles on named containers only, never on the whole account.
var hostContainers = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]
// The two containers whose BlobCreated events Event Grid delivers (see infra/hooks/postdeploy.sh).
var submissionsContainer = 'submissions'
var reportRequestsContainer = 'report-requests'

var keyVaultUri = 'https://${names.keyVault}${environment().suffixes.keyvaultDns}/'
var publicBaseUrl = empty(napPublicBaseUrl) ? 'https://${names.functionApp}.azurewebsites.net' : napPublicBaseUrl

// --- resources -----------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    auditRetentionInDays: auditLogRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSku
    containers: storageContainers
    tables: storageTables
    hostContainers: hostContainers
    deploymentContainerName: names.deploymentContainer
    privateNetworking: privateNetworking
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    customerManagedKeyName: storageCustomerManagedKey ? keyVault.outputs.storageKeyName : ''
    keyVaultUri: keyVault.outputs.uri
    encryptionIdentityId: identity.outputs.id
    draftRetentionDays: draftRetentionDays
    reportRequestRetentionDays: reportRequestRetentionDays
    submissionRetentionDays: submissionRetentionDays
    reportVersionRetentionDays: reportVersionRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    privateNetworking: privateNetworking
    enablePurgeProtection: keyVaultPurgeProtection
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    createStorageKey: storageCustomerManagedKey
    appPrincipalId: identity.outputs.principalId
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  scope: rg
  params: {
    name: names.vnet
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    appPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    containers: union(storageContainers, hostContainers, [names.deploymentContainer])
    tables: storageTables
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    grantDeployerDataAccess: grantDeployerDataAccess
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: names.deploymentContainer
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
    allowedOrigins: allowedOrigins
    entraTenantId: empty(entraTenantId) ? tenant().tenantId : entraTenantId
    entraClientId: entraClientId
    appSettings: {
      // Functions host storage: identity-based, no connection string.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
      AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
      AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
      // The app's own storage connection (StorageNames.ConnectionName = "NapStorage"), identity-based too.
      NapStorage__credential: 'managedidentity'
      NapStorage__clientId: identity.outputs.clientId
      NapStorage__blobServiceUri: storage.outputs.blobEndpoint
      NapStorage__queueServiceUri: storage.outputs.queueEndpoint
      NapStorage__tableServiceUri: storage.outputs.tableEndpoint
      // Managed identity for SDK clients that use DefaultAzureCredential (e.g. Graph with an empty Graph__ClientId).
      AZURE_CLIENT_ID: identity.outputs.clientId
      // Telemetry with Entra ID authentication (local auth is off on the component).
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      Nap__FrameworkFile: napFrameworkFile
      Nap__MaxBodyBytes: string(napMaxBodyBytes)
      Nap__RegistryCacheSeconds: string(napRegistryCacheSeconds)
      Nap__LatestSnapshotSeconds: string(napLatestSnapshotSeconds)
      Nap__PublicBaseUrl: publicBaseUrl
      // New submission versions per signatory per cycle per hour (idempotent retries do not count); over it 429.
      Nap__SubmissionsPerSignatoryPerHour: '30'
      // Links are signed by the non-exportable Key Vault key link-signing (keyvault.bicep): no key material in settings.
      Tokens__LinkKeyName: 'link-signing'
      Tokens__Issuer: tokenIssuer
      Tokens__Audience: tokenAudience
      Tokens__GraceDays: string(tokenGraceDays)
      Tokens__MaxLifetimeDays: string(tokenMaxLifetimeDays)
      Reminders__Schedule: remindersSchedule
      Reminders__Coordinators: remindersCoordinators
      Reminders__MessagesPerMinute: string(remindersMessagesPerMinute)
      Reminders__MaxConcurrentSends: string(remindersMaxConcurrentSends)
      Graph__TenantId: empty(graphTenantId) ? tenant().tenantId : graphTenantId
      Graph__ClientId: graphClientId
      Graph__Mailbox: graphMailbox
      Graph__SaveToSentItems: graphSaveToSentItems ? 'true' : 'false'
      Graph__BaseUrl: graphBaseUrl
      // Tuning of reminders and Graph calls: the code's defaults, here so they can be changed without a deployment.
      Graph__Scope: 'https://graph.microsoft.com/.default'
      Graph__MaxRetries: '3'
      Graph__MaxRetryWaitSeconds: '60'
      Graph__TimeoutSeconds: '100'
      Reminders__SweepBudgetSeconds: '480'
      Reminders__MaxSendAttempts: '5'
      Reminders__StaleSendingMinutes: '15'
      Reminders__CoordinatorLanguage: 'nl'
      Reminders__LinkRequestsPerHour: '3'
      // Abuse limits of POST /api/links beyond the one per address: per client address per hour, per instance per minute (429).
      Reminders__LinkRequestsPerClientPerHour: '20'
      Reminders__LinkRequestsPerInstancePerMinute: '120'
      Reminders__LinkResponseMilliseconds: '1000'
      Reminders__ReceiptCatchUpDays: '7'
      Reminders__ImmediateSendWaitSeconds: '20'
      SharePoint__SiteId: sharePointSiteId
      SharePoint__DriveId: sharePointDriveId
      SharePoint__Folder: sharePointFolder
      // Draft compilation: coalesce a burst of submissions (deadline day) into one compilation, but compile at least every 5 minutes.
      Reports__CoalesceSeconds: string(reportsCoalesceSeconds)
      Reports__MaxDelaySeconds: '300'
      Reports__LeaseSeconds: '120'
      Reports__DownloadConcurrency: '16'
      // Recovery timer (UTC NCRONTAB): compiles drafts whose compiling instance crashed or failed, every 10 minutes.
      Reports__RecoverySchedule: '0 */10 * * * *'
      // Retention sweep (UTC NCRONTAB): deletes expired table rows; blobs expire by the storage lifecycle rules.
      Retention__Schedule: retentionSchedule
      Retention__ReminderLedgerDays: string(reminderLedgerRetentionDays)
      Retention__LinkRequestDays: string(linkRequestRetentionDays)
      Retention__SubmissionDays: string(submissionRetentionDays)
      Retention__ReportVersionDays: string(reportVersionRetentionDays)
      Retention__AuditDays: string(auditRetentionDays)
      // Key Vault key operations (Nap.Keys): the vault and the key that wraps the keys of encrypted blobs.
      Keys__VaultUri: keyVaultUri
      Keys__KeyName: keyVault.outputs.dataKeyName
      // Time budget of one storage operation, retries included (three tries of a quarter each): past it a request answers 503 + Retry-After.
      Storage__RequestBudgetSeconds: '30'
    }
  }
  dependsOn: [
    rbac
  ]
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: names.alerts
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    operatorEmail: operatorEmail
    enableSweepAlert: enableSweepAlert
  }
}

// --- outputs (azd writes them to the environment; the hooks read them) ---------------------------

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name
output SUBMISSIONS_CONTAINER_NAME string = submissionsContainer
output BLOB_TRIGGER_FUNCTION_NAME string = blobTriggerFunctionName
output REPORT_REQUESTS_CONTAINER_NAME string = reportRequestsContainer
output FINAL_REPORT_FUNCTION_NAME string = finalReportFunctionName
output ENTRA_TENANT_ID string = empty(entraTenantId) ? tenant().tenantId : entraTenantId
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
