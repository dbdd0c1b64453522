// Optional private networking (parameter privateNetworking in main.bicep), for departments whose
// security baseline (BIO) asks for it: a virtual network with a subnet for the function app's
// outbound traffic (Flex Consumption VNet integration) and a subnet for private endpoints of the
// storage account (blob, queue, table) and the Key Vault, with their private DNS zones.

@description('Name of the virtual network.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the resources.')
param tags object = {}

@description('Address space of the virtual network.')
param addressPrefix string = '10.13.0.0/16'

@description('Subnet delegated to the function app (Flex Consumption needs at least a /27).')
param appSubnetPrefix string = '10.13.0.0/24'

@description('Subnet for the private endpoints.')
param privateEndpointSubnetPrefix string = '10.13.1.0/24'

@description('Resource id of the storage account.')
param storageAccountId string

@description('Resource id of the Key Vault.')
param keyVaultId string

var appSubnetName = 'snet-app'
var privateEndpointSubnetName = 'snet-private-endpoints'

var endpoints = [
  {
    name: 'blob'
    groupId: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
    target: storageAccountId
  }
  {
    name: 'queue'
    groupId: 'queue'
    zone: 'privatelink.queue.${environment().suffixes.storage}'
    target: storageAccountId
  }
  {
    name: 'table'
    groupId: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
    target: storageAccountId
  }
  {
    name: 'vault'
    groupId: 'vault'
    zone: 'privatelink.vaultcore.azure.net'
    target: keyVaultId
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
          privateLinkServiceNetworkPolicies: 'Enabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: '${name}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.name}-${uniqueString(endpoint.target)}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: '${vnet.id}/subnets/${privateEndpointSubnetName}'
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: endpoint.target
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output appSubnetId string = '${vnet.id}/subnets/${appSubnetName}'
output vnetId string = vnet.id
