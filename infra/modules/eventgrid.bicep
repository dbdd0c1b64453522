// Event Grid system topic on the storage account. The subscription that delivers BlobCreated
// events of the submissions container to the blob-triggered function is created after code
// deployment by infra/hooks/postdeploy.sh: its webhook URL carries the blobs_extension system key,
// which the Functions host creates only once the code with the blob trigger is running.

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
