// User-assigned managed identity of the function app. One identity for the Functions host
// (AzureWebJobsStorage), the app's own storage connection (NapStorage), Key Vault references,
// Application Insights (Entra ID ingestion) and Microsoft Graph.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
