// Event Grid system topic on the storage account. The subscriptions that deliver BlobCreated
// events to the blob-triggered functions (submissions -> CompileDraftReport, report-requests ->
// CompileFinalReport) are created after code deployment by infra/hooks/postdeploy.sh: their webhook
// URLs carry the blobs_extension system key, which the Functions host creates only once the code
// with the blob triggers is running.

@description('Name of the system topic.')
param name string

@description('Azure region (the storage account\'s).')
param location string

@description('Tags applied to the topic.')
param tags object = {}

@description('Resource id of the storage account.')
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
output id string = topic.id
