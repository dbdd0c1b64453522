// Alerts to the operator: failed function executions, reminder sends that failed or whose outcome
// is uncertain, and no completed reminder sweep in 26 hours. All are log search alerts on the
// Application Insights component, so they work the same with or without private networking.
//
// Names the code must log (trace message text, EventId name or custom event/metric name):
//   ReminderSendFailed, ReminderSendUncertain, ReminderSweepCompleted

@description('Name prefix for the alert rules and the action group.')
param namePrefix string

@description('Azure region of the alert rules.')
param location string

@description('Tags applied to the resources.')
param tags object = {}

@description('Resource id of the Application Insights component.')
param applicationInsightsId string

@description('Email address of the operator who receives the alerts; empty creates the action group without receivers.')
param operatorEmail string = ''

@description('Name of the log entry written when a reminder could not be sent.')
param sendFailedName string = 'ReminderSendFailed'

@description('Name of the log entry written when the outcome of a reminder send is unknown (timeout after the request was sent).')
param sendUncertainName string = 'ReminderSendUncertain'

@description('Name of the log entry written when a reminder sweep completed.')
param sweepCompletedName string = 'ReminderSweepCompleted'

@description('Hours without a completed sweep before the sweep alert fires (daily schedule plus slack).')
param sweepMaxSilenceHours int = 26

@description('Whether the "no sweep" alert is on (turn it off while reminders are intentionally not scheduled).')
param enableSweepAlert bool = true

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'nap1325ops'
    enabled: true
    emailReceivers: empty(operatorEmail)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: operatorEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

var failedExecutionsQuery = '''
requests
| where success == false
| where not(resultCode startswith "4")
| project timestamp, operation_Name, resultCode, cloud_RoleInstance
'''

var sendProblemsQuery = format('''
let names = dynamic(["{0}", "{1}"]);
union isfuzzy=true
    (traces
        | where message has_any (names) or tostring(customDimensions.EventName) in (names)
        | project timestamp, problem = iff(message has "{1}" or tostring(customDimensions.EventName) == "{1}", "{1}", "{0}")),
    (customEvents
        | where name in (names)
        | project timestamp, problem = name),
    (customMetrics
        | where name in (names) and valueSum > 0
        | project timestamp, problem = name)
''', sendFailedName, sendUncertainName)

var sweepQuery = format('''
union isfuzzy=true
    (traces
        | where timestamp > ago({1}h)
        | where message has "{0}" or tostring(customDimensions.EventName) == "{0}"),
    (customEvents
        | where timestamp > ago({1}h)
        | where name == "{0}")
| summarize Completed = count()
''', sweepCompletedName, sweepMaxSilenceHours)

resource failedExecutions 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-failed-executions'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'NAP 1325: failed function executions'
    description: 'A function execution failed (an exception or a 5xx result) in the last 15 minutes.'
    severity: 2
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    scopes: [
      applicationInsightsId
    ]
    criteria: {
      allOf: [
        {
          query: failedExecutionsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'operation_Name'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource sendProblems 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-reminder-send-problems'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'NAP 1325: reminder sends failed or uncertain'
    description: 'A reminder email could not be sent (${sendFailedName}) or its outcome is unknown (${sendUncertainName}); check the reminder ledger before sending again.'
    severity: 2
    enabled: true
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    scopes: [
      applicationInsightsId
    ]
    criteria: {
      allOf: [
        {
          query: sendProblemsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'problem'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource noSweep 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-no-reminder-sweep'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'NAP 1325: no reminder sweep in ${sweepMaxSilenceHours} hours'
    description: 'No ${sweepCompletedName} was logged in the last ${sweepMaxSilenceHours} hours: the daily reminder sweep did not run or did not finish.'
    severity: 1
    enabled: enableSweepAlert
    evaluationFrequency: 'PT1H'
    windowSize: 'P2D'
    scopes: [
      applicationInsightsId
    ]
    criteria: {
      allOf: [
        {
          query: sweepQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'Completed'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupId string = actionGroup.id
