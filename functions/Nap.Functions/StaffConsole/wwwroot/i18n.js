// Every text of the console in Dutch and English; dates in Europe/Amsterdam whatever the browser's zone.
const texts = {
  nl: {
    pageTitle: 'Coördinatieconsole NAP 1325-IV', skip: 'Naar de inhoud', brand: 'NAP 1325-IV – coördinatieconsole',
    navLabel: 'Onderdelen', nav_overview: 'Overzicht', nav_reminders: 'Herinneringen', nav_reports: 'Rapportages', nav_registry: 'Register', nav_cycles: 'Cycli', nav_audit: 'Auditlog',
    cyclePicker: 'Cyclus', signOut: 'Afmelden', loading: 'De console wordt geladen…', langSwitch: 'English', langChanged: 'De taal is nu Nederlands.',
    signedInAs: 'Aangemeld als {name} ({roles})', noRoles: 'geen rollen',
    yes: 'ja', no: 'nee', none: 'geen', nothing: 'Niets te tonen.', failed: 'Dat is niet gelukt.', errorPrefix: 'Fout:',
    stale: 'Iemand anders heeft dit intussen gewijzigd; laad opnieuw.', reload: 'Opnieuw laden',
    close: 'Sluiten', cancel: 'Annuleren', save: 'Opslaan', saved: 'Opgeslagen.', edit: 'Wijzigen', actions: 'Acties', filter: 'Filteren', more: 'Meer laden', show: 'Tonen',
    overviewTitle: 'Overzicht', noCycles: 'Er is nog geen cyclus.',
    overviewLead: 'Cyclus {cycle}: deadline {deadline}. {submitted} van {expected} ingediend, {late} te laat, {missing} ontbreken.',
    completionCaption: 'Voortgang per soort ondertekenaar', kind: 'Soort', expected: 'Verwacht', submittedCount: 'Ingediend', percent: 'Percentage',
    signatories: 'Ondertekenaars', signatoriesCaption: 'Ondertekenaars in cyclus {cycle}', searchName: 'Zoek op naam', shown: '{n} getoond', noneMatch: 'Geen ondertekenaars met dit filter.',
    filter_all: 'Alle', filter_missing: 'Ontbreekt', filter_late: 'Te laat', filter_review: 'Te beoordelen', filter_returned: 'Teruggestuurd',
    exportCsv: 'Exporteren als CSV (Excel)',
    name: 'Naam', submitted: 'Ingediend', version: 'Versie', received: 'Ontvangen', late: 'Te laat', overdue: 'achterstallig', review: 'Beoordeling',
    paused: 'Herinneringen gepauzeerd', deadline: 'Deadline', extended: '(verlengd)', lastReminder: 'Laatste herinnering',
    pause: 'Herinneringen pauzeren', resume: 'Herinneringen hervatten', pauseFor: 'Herinneringen pauzeren voor {name}', resumeFor: 'Herinneringen hervatten voor {name}',
    pausedDone: 'Herinneringen voor {name} gepauzeerd.', resumed: 'Herinneringen voor {name} hervat.',
    extend: 'Deadline verlengen', extendFor: 'Deadline verlengen voor {name}', extendTitle: 'Deadline verlengen: {name}',
    newDeadline: 'Nieuwe deadline', newDeadlineHint: 'Amsterdamse tijd, later dan de deadline van de cyclus ({deadline}).', removeExtension: 'Verlenging intrekken', extensionSaved: 'Deadline van {name} aangepast.',
    kind_ministry: 'Ministerie', 'kind_civil-society-organisation': 'Maatschappelijke organisatie', 'kind_knowledge-institution': 'Kennisinstelling', kind_other: 'Overig',
    review_submitted: 'te beoordelen', review_resubmitted: 'opnieuw ingediend', review_accepted: 'geaccepteerd', review_returned: 'teruggestuurd',
    unknownSignatory: 'Onbekende ondertekenaar', unknownSignatoryText: '{id} doet niet mee aan cyclus {cycle}.', backToOverview: 'Terug naar het overzicht',
    cycle: 'Cyclus', versionReceived: 'versie {version}, ontvangen {at}', submission: 'Rapportage', notSubmitted: 'Nog niets ingediend.',
    reviewStateText: 'Status: {state} (beoordeelde versie {version}, laatste versie {latest}).', nothingSubmitted: 'Er is nog niets om te beoordelen.',
    acceptedVersion: 'Geaccepteerde versie: {version}.', revisionDeadlineIs: 'Herzien vóór {at} (Amsterdamse tijd).',
    acceptVersion: 'Versie {version} accepteren', returnVersion: 'Versie {version} terugsturen…', history: 'Geschiedenis', noHistory: 'Nog geen beoordelingen.',
    action_accept: 'Geaccepteerd', action_return: 'Teruggestuurd', historyLine: 'versie {version}, {at}',
    acceptTitle: '{name}: versie {version} accepteren', acceptText: 'Versie {version} telt dan mee in de rapportage.', accept: 'Accepteren', accepted: 'Rapportage van {name} geaccepteerd.',
    returnTitle: '{name}: versie {version} terugsturen', reason: 'Reden', reasonHint: 'De ondertekenaar ziet deze reden (ten hoogste 2000 tekens).',
    revisionDeadline: 'Herzien vóór', revisionDeadlineHint: 'Optioneel, Amsterdamse tijd. Later dan de huidige deadline? Dan geldt dit als verlenging.',
    comments: 'Opmerkingen per onderdeel', commentsHint: 'Vul alleen in waar u iets over wilt zeggen.', commentOn: 'Opmerking bij {section}',
    visibility: 'Zichtbaar voor', visibleSignatory: 'de ondertekenaar', visibleInternal: 'alleen medewerkers (intern)', returnSubmit: 'Terugsturen', returned: 'Rapportage van {name} teruggestuurd.',
    narrative_highlights: 'Hoogtepunten', narrative_challenges: 'Uitdagingen', narrative_lessons: 'Lessen',
    submissionsUnavailable: 'De rapportage als document en de verschillen tussen versies zijn nog niet beschikbaar: deze versie van de API heeft de routes …/submissions nog niet.',
    versions: 'Versies', shownNow: '(getoond)', showVersion: 'Versie {version} tonen', confidentialParts: 'Vertrouwelijke delen',
    versionDocument: 'Versie {version}, ontvangen {at}', confidentialWithheld: '{n} vertrouwelijke onderdelen worden niet getoond (daarvoor is de rol Nap.Confidential nodig).',
    compare: 'Versies vergelijken', diffFrom: 'Van versie', diffTo: 'Naar versie', showDiff: 'Verschillen tonen', diffBetween: 'Verschillen van versie {from} naar versie {to}',
    diffAdded: 'Toegevoegde bijdragen', diffRemoved: 'Verwijderde bijdragen', diffChanged: 'Gewijzigde bijdragen', diffFields: 'Gewijzigde velden', diffNarratives: 'Gewijzigde verhalen', before: 'was:', after: 'wordt:', diffContact: 'Gewijzigd contact', diffWithheld: '{n} vertrouwelijke onderdelen zijn niet vergeleken (daarvoor is de rol Nap.Confidential nodig).',
    confidential: 'vertrouwelijk', contact: 'Contactpersoon', emptySubmission: 'Deze versie bevat geen doelen.', contributionId: 'Kenmerk', focus: 'Focus',
    focus_national: 'nationaal', focus_international: 'internationaal', countries: 'Landen en regio’s', outcomes: 'Resultaten', budget: 'Besteed budget', partners: 'Partners', target: 'doel',
    remindersTitle: 'Herinneringen', remindersLead: 'Wat er verstuurd is, mislukte of onzeker is (misschien verstuurd). Een onzekere of mislukte herinnering kunt u bewust opnieuw proberen.',
    ledgerStatus: 'Status', ledgerCaption: 'Herinneringslogboek cyclus {cycle}', noLedger: 'Nog niets verstuurd in deze cyclus.',
    ledger_all: 'Alle', ledger_pending: 'wacht', ledger_sending: 'bezig', ledger_sent: 'verstuurd', 'ledger_not-accepted': 'geweigerd', ledger_failed: 'mislukt', ledger_uncertain: 'onzeker', ledger_superseded: 'vervallen',
    signatory: 'Ondertekenaar', stage: 'Soort bericht', recipient: 'Ontvanger', attempts: 'Pogingen', claimed: 'Aangemaakt', lastAttempt: 'Laatste poging', sent: 'Verstuurd', lastResult: 'Laatste uitkomst',
    retry: 'Opnieuw proberen', retryFor: 'Opnieuw proberen: {id}, {stage}', retried: 'Wordt opnieuw verstuurd.', retryUnavailable: 'Opnieuw proberen kan nog niet: deze versie van de API heeft die route nog niet.',
    reportsTitle: 'Rapportages', requestFinal: 'Definitieve rapportage aanvragen', requestFinalHint: 'De bijlage wordt op de achtergrond samengesteld; dit duurt meestal minder dan een minuut.',
    requestFinalButton: 'Definitieve rapportage aanvragen', reportLanguage: 'Taal', finalRequested: 'Aangevraagd; de rapportage wordt samengesteld…', finalReady: 'Versie {version} is klaar.',
    finalFailed: 'Het samenstellen is mislukt.', finalSlow: 'Het samenstellen duurt langer dan verwacht; kijk zo nog eens.',
    reportVersions: 'Versies', reportVersionsCaption: 'Rapportageversies cyclus {cycle}', reportKind: 'Soort', reportKind_draft: 'concept', reportKind_final: 'definitief',
    reportStatus: 'Status', created: 'Gemaakt', submissionsCount: 'Rapportages', published: 'SharePoint', files: 'Bestanden', download: '{file} downloaden', sharePoint: 'SharePoint-kopie openen',
    noReports: 'Nog geen rapportage samengesteld.', reportRequests: 'Aanvragen', requested: 'Aangevraagd',
    publish_published: 'gepubliceerd', publish_pending: 'wacht', publish_failed: 'mislukt', publish_disabled: 'uit', 'publish_not-configured': 'niet ingesteld',
    auditTitle: 'Auditlog', needsAdmin: 'Hiervoor is de rol Nap.Admin nodig.', signatoryId: 'Ondertekenaar (id)', fromDate: 'Vanaf', toDate: 'Tot', allCycles: 'Alle cycli',
    auditCaption: 'Auditregels', when: 'Wanneer', actor: 'Wie', auditAction: 'Handeling', result: 'Uitkomst', noAudit: 'Geen regels met dit filter.',
    registryTitle: 'Register', registryUnavailable: 'Het register is hier nog niet te beheren: deze versie van de API heeft de routes /api/signatories nog niet.',
    addSignatory: 'Ondertekenaar toevoegen', registryCaption: '{n} ondertekenaars', language: 'Taal', active: 'Actief', contacts: 'Contactpersonen',
    editFor: 'Wijzigen: {name}', deactivate: 'Deactiveren', deactivateFor: 'Deactiveren: {name}', deactivated: '{name} is gedeactiveerd.',
    revokeLinks: 'Links intrekken', revokeFor: 'Links intrekken van {name}', revoked: 'Alle links van {name} zijn ingetrokken.',
    editTitle: '{name} wijzigen', idHint: 'Kleine letters, cijfers en streepjes; ligt vast na toevoegen.', addContact: 'Contactpersoon toevoegen',
    contactN: 'Contactpersoon {n}', contactName: 'Naam', contactEmail: 'E-mailadres', contactRole: 'Rol', role_primary: 'eerste contact', role_secondary: 'tweede contact', role_director: 'directeur',
    importTitle: 'Importeren (CSV of JSON)', importFormat: 'Formaat', importFile: 'Bestand', importText: 'Inhoud',
    importHint: 'CSV-kolommen: id, name, kind, language, active, contact_name, contact_email, contact_role (één regel per contactpersoon; ; of , als scheidingsteken).',
    preview: 'Voorbeeld bekijken', applyImport: 'Importeren', previewProblems: '{n} problemen gevonden. Er is niets opgeslagen.',
    previewOk: '{rows} regels zonder problemen: {add} nieuw, {update} gewijzigd, {unchanged} ongewijzigd.', nothingWritten: 'Een voorbeeld slaat niets op.',
    problemsCaption: 'Problemen per regel', row: 'Regel', field: 'Veld', problem: 'Probleem', imported: 'Geïmporteerd: {add} nieuw, {update} gewijzigd, {unchanged} ongewijzigd.',
    erasureTitle: 'Een persoon wissen', erasureLead: 'Wist alles over een persoon: contactpersonen in het register, contactgegevens bij ingediende rapportages, concepten, herinneringen en linkaanvragen. Ingediende inhoud blijft staan.',
    erasureEmail: 'E-mailadres van de persoon', erasureHint: 'Het adres wordt nergens bewaard en niet in het auditlog opgenomen.', erasureEmailRequired: 'Vul het e-mailadres in van de persoon die gewist moet worden.',
    eraseCheck: 'Wissen…', erasureQuestion: 'Alles over {email} wissen? Dit kan niet ongedaan worden gemaakt.', eraseConfirm: 'Ja, definitief wissen',
    erased: 'Gewist.', erasedRegistry: 'Contactpersonen in het register: {n}', erasedSubmissions: 'Contactgegevens bij rapportages: {n}', erasedDrafts: 'Concepten: {n}',
    erasedLedger: 'Regels in het herinneringslogboek: {n}', erasedLinks: 'Linkaanvragen: {n}',
    cyclesTitle: 'Cycli', cyclesCaption: 'Alle cycli', openCycle: 'Cyclus openen', period: 'Periode', opensOn: 'Opent op', reminderOffsets: 'Herinneringen (dagen vóór de deadline)',
    overdueOffsets: 'Aanmaningen (dagen na de deadline)', acceptLate: 'Te late rapportages aannemen', cycleState: 'Status',
    cycleStatus_open: 'open', cycleStatus_closed: 'gesloten', cycleStatus_compiled: 'samengesteld', editCycle: 'Wijzigen: cyclus {id}', closeCycle: 'Sluiten', closeCycleFor: 'Sluiten: cyclus {id}',
    cycleClosed: 'Cyclus {id} is gesloten.', cyclesUnavailable: 'Cycli beheren kan nog niet: deze versie van de API heeft die routes nog niet.',
    cycleIdHint: 'Bijvoorbeeld 2027 of 2026-2027.', periodStart: 'Periode vanaf', periodEnd: 'Periode tot en met', amsterdamTime: 'Amsterdamse tijd.',
    offsetsHint: 'Gehele dagen, gescheiden door komma’s, bijvoorbeeld 14, 7, 1.', overdueHint: 'Gehele dagen, bijvoorbeeld 3, 10.',
  },
  en: {
    pageTitle: 'NAP 1325-IV coordinators’ console', skip: 'Skip to content', brand: 'NAP 1325-IV – coordinators’ console',
    navLabel: 'Sections', nav_overview: 'Overview', nav_reminders: 'Reminders', nav_reports: 'Reports', nav_registry: 'Registry', nav_cycles: 'Cycles', nav_audit: 'Audit log',
    cyclePicker: 'Cycle', signOut: 'Sign out', loading: 'Loading the console…', langSwitch: 'Nederlands', langChanged: 'The language is now English.',
    signedInAs: 'Signed in as {name} ({roles})', noRoles: 'no roles',
    yes: 'yes', no: 'no', none: 'none', nothing: 'Nothing to show.', failed: 'That did not work.', errorPrefix: 'Error:',
    stale: 'Someone else changed this meanwhile; reload.', reload: 'Reload',
    close: 'Close', cancel: 'Cancel', save: 'Save', saved: 'Saved.', edit: 'Edit', actions: 'Actions', filter: 'Filter', more: 'Load more', show: 'Show',
    overviewTitle: 'Overview', noCycles: 'There is no cycle yet.',
    overviewLead: 'Cycle {cycle}: deadline {deadline}. {submitted} of {expected} submitted, {late} late, {missing} missing.',
    completionCaption: 'Completion per kind of signatory', kind: 'Kind', expected: 'Expected', submittedCount: 'Submitted', percent: 'Percentage',
    signatories: 'Signatories', signatoriesCaption: 'Signatories in cycle {cycle}', searchName: 'Search by name', shown: '{n} shown', noneMatch: 'No signatories match this filter.',
    filter_all: 'All', filter_missing: 'Missing', filter_late: 'Late', filter_review: 'To review', filter_returned: 'Returned',
    exportCsv: 'Export as CSV (Excel)',
    name: 'Name', submitted: 'Submitted', version: 'Version', received: 'Received', late: 'Late', overdue: 'overdue', review: 'Review',
    paused: 'Reminders paused', deadline: 'Deadline', extended: '(extended)', lastReminder: 'Last reminder',
    pause: 'Pause reminders', resume: 'Resume reminders', pauseFor: 'Pause reminders for {name}', resumeFor: 'Resume reminders for {name}',
    pausedDone: 'Reminders for {name} paused.', resumed: 'Reminders for {name} resumed.',
    extend: 'Extend deadline', extendFor: 'Extend deadline for {name}', extendTitle: 'Extend the deadline: {name}',
    newDeadline: 'New deadline', newDeadlineHint: 'Amsterdam time, later than the cycle’s deadline ({deadline}).', removeExtension: 'Remove the extension', extensionSaved: 'Deadline of {name} changed.',
    kind_ministry: 'Ministry', 'kind_civil-society-organisation': 'Civil-society organisation', 'kind_knowledge-institution': 'Knowledge institution', kind_other: 'Other',
    review_submitted: 'to review', review_resubmitted: 'resubmitted', review_accepted: 'accepted', review_returned: 'returned',
    unknownSignatory: 'Unknown signatory', unknownSignatoryText: '{id} does not take part in cycle {cycle}.', backToOverview: 'Back to the overview',
    cycle: 'Cycle', versionReceived: 'version {version}, received {at}', submission: 'Submission', notSubmitted: 'Nothing submitted yet.',
    reviewStateText: 'State: {state} (judged version {version}, latest version {latest}).', nothingSubmitted: 'There is nothing to review yet.',
    acceptedVersion: 'Accepted version: {version}.', revisionDeadlineIs: 'Revise by {at} (Amsterdam time).',
    acceptVersion: 'Accept version {version}', returnVersion: 'Return version {version}…', history: 'History', noHistory: 'No judgements yet.',
    action_accept: 'Accepted', action_return: 'Returned', historyLine: 'version {version}, {at}',
    acceptTitle: '{name}: accept version {version}', acceptText: 'Version {version} then counts in the report.', accept: 'Accept', accepted: 'Submission of {name} accepted.',
    returnTitle: '{name}: return version {version}', reason: 'Reason', reasonHint: 'The signatory sees this reason (at most 2,000 characters).',
    revisionDeadline: 'Revise by', revisionDeadlineHint: 'Optional, Amsterdam time. Later than the current deadline? Then it counts as an extension.',
    comments: 'Comments per section', commentsHint: 'Fill in only where you have something to say.', commentOn: 'Comment on {section}',
    visibility: 'Visible to', visibleSignatory: 'the signatory', visibleInternal: 'staff only (internal)', returnSubmit: 'Return', returned: 'Submission of {name} returned.',
    narrative_highlights: 'Highlights', narrative_challenges: 'Challenges', narrative_lessons: 'Lessons',
    submissionsUnavailable: 'The submission as a document and the differences between versions are not available yet: this version of the API lacks the …/submissions routes.',
    versions: 'Versions', shownNow: '(shown)', showVersion: 'Show version {version}', confidentialParts: 'Confidential parts',
    versionDocument: 'Version {version}, received {at}', confidentialWithheld: '{n} confidential parts are not shown (that needs the role Nap.Confidential).',
    compare: 'Compare versions', diffFrom: 'From version', diffTo: 'To version', showDiff: 'Show differences', diffBetween: 'Differences from version {from} to version {to}',
    diffAdded: 'Added contributions', diffRemoved: 'Removed contributions', diffChanged: 'Changed contributions', diffFields: 'Changed fields', diffNarratives: 'Changed narratives', before: 'was:', after: 'now:', diffContact: 'Changed contact', diffWithheld: '{n} confidential parts were not compared (that needs the role Nap.Confidential).',
    confidential: 'confidential', contact: 'Contact', emptySubmission: 'This version has no goals.', contributionId: 'Id', focus: 'Focus',
    focus_national: 'national', focus_international: 'international', countries: 'Countries and regions', outcomes: 'Outcomes', budget: 'Budget spent', partners: 'Partners', target: 'target',
    remindersTitle: 'Reminders', remindersLead: 'What was sent, failed or is uncertain (maybe sent). An uncertain or failed reminder can be retried deliberately.',
    ledgerStatus: 'Status', ledgerCaption: 'Reminder ledger of cycle {cycle}', noLedger: 'Nothing sent in this cycle yet.',
    ledger_all: 'All', ledger_pending: 'pending', ledger_sending: 'sending', ledger_sent: 'sent', 'ledger_not-accepted': 'not accepted', ledger_failed: 'failed', ledger_uncertain: 'uncertain', ledger_superseded: 'superseded',
    signatory: 'Signatory', stage: 'Message', recipient: 'Recipient', attempts: 'Attempts', claimed: 'Created', lastAttempt: 'Last attempt', sent: 'Sent', lastResult: 'Last result',
    retry: 'Retry', retryFor: 'Retry: {id}, {stage}', retried: 'It will be sent again.', retryUnavailable: 'Retrying is not possible yet: this version of the API lacks that route.',
    reportsTitle: 'Reports', requestFinal: 'Request the final report', requestFinalHint: 'The annex is compiled in the background; that usually takes less than a minute.',
    requestFinalButton: 'Request the final report', reportLanguage: 'Language', finalRequested: 'Requested; the report is being compiled…', finalReady: 'Version {version} is ready.',
    finalFailed: 'Compiling failed.', finalSlow: 'Compiling takes longer than expected; look again shortly.',
    reportVersions: 'Versions', reportVersionsCaption: 'Report versions of cycle {cycle}', reportKind: 'Kind', reportKind_draft: 'draft', reportKind_final: 'final',
    reportStatus: 'Status', created: 'Created', submissionsCount: 'Submissions', published: 'SharePoint', files: 'Files', download: 'Download {file}', sharePoint: 'Open the SharePoint copy',
    noReports: 'No report compiled yet.', reportRequests: 'Requests', requested: 'Requested',
    publish_published: 'published', publish_pending: 'pending', publish_failed: 'failed', publish_disabled: 'off', 'publish_not-configured': 'not configured',
    auditTitle: 'Audit log', needsAdmin: 'This needs the role Nap.Admin.', signatoryId: 'Signatory (id)', fromDate: 'From', toDate: 'To', allCycles: 'All cycles',
    auditCaption: 'Audit rows', when: 'When', actor: 'Who', auditAction: 'Action', result: 'Result', noAudit: 'No rows match this filter.',
    registryTitle: 'Registry', registryUnavailable: 'The registry cannot be managed here yet: this version of the API lacks the /api/signatories routes.',
    addSignatory: 'Add a signatory', registryCaption: '{n} signatories', language: 'Language', active: 'Active', contacts: 'Contacts',
    editFor: 'Edit {name}', deactivate: 'Deactivate', deactivateFor: 'Deactivate {name}', deactivated: '{name} was deactivated.',
    revokeLinks: 'Revoke links', revokeFor: 'Revoke links of {name}', revoked: 'Every link of {name} was revoked.',
    editTitle: 'Edit {name}', idHint: 'Lower-case letters, digits and hyphens; fixed once added.', addContact: 'Add a contact',
    contactN: 'Contact {n}', contactName: 'Name', contactEmail: 'Email address', contactRole: 'Role', role_primary: 'primary contact', role_secondary: 'secondary contact', role_director: 'director',
    importTitle: 'Import (CSV or JSON)', importFormat: 'Format', importFile: 'File', importText: 'Content',
    importHint: 'CSV columns: id, name, kind, language, active, contact_name, contact_email, contact_role (one line per contact; ; or , as separator).',
    preview: 'Preview', applyImport: 'Import', previewProblems: '{n} problems found. Nothing was stored.',
    previewOk: '{rows} rows without problems: {add} new, {update} changed, {unchanged} unchanged.', nothingWritten: 'A preview stores nothing.',
    problemsCaption: 'Problems by row', row: 'Row', field: 'Field', problem: 'Problem', imported: 'Imported: {add} new, {update} changed, {unchanged} unchanged.',
    erasureTitle: 'Erase a person', erasureLead: 'Erases everything about a person: registry contacts, the contact records of submissions, drafts, reminders and link requests. Submitted content stays.',
    erasureEmail: 'Email address of the person', erasureHint: 'The address is not kept anywhere and not written to the audit log.', erasureEmailRequired: 'Enter the email address of the person to erase.',
    eraseCheck: 'Erase…', erasureQuestion: 'Erase everything about {email}? This cannot be undone.', eraseConfirm: 'Yes, erase for good',
    erased: 'Erased.', erasedRegistry: 'Registry contacts: {n}', erasedSubmissions: 'Submission contact records: {n}', erasedDrafts: 'Drafts: {n}',
    erasedLedger: 'Reminder-ledger rows: {n}', erasedLinks: 'Link requests: {n}',
    cyclesTitle: 'Cycles', cyclesCaption: 'All cycles', openCycle: 'Open a cycle', period: 'Period', opensOn: 'Opens on', reminderOffsets: 'Reminders (days before the deadline)',
    overdueOffsets: 'Overdue reminders (days after the deadline)', acceptLate: 'Accept late submissions', cycleState: 'State',
    cycleStatus_open: 'open', cycleStatus_closed: 'closed', cycleStatus_compiled: 'compiled', editCycle: 'Edit cycle {id}', closeCycle: 'Close', closeCycleFor: 'Close cycle {id}',
    cycleClosed: 'Cycle {id} is closed.', cyclesUnavailable: 'Managing cycles is not possible yet: this version of the API lacks those routes.',
    cycleIdHint: 'For example 2027 or 2026-2027.', periodStart: 'Period from', periodEnd: 'Period to (inclusive)', amsterdamTime: 'Amsterdam time.',
    offsetsHint: 'Whole days separated by commas, for example 14, 7, 1.', overdueHint: 'Whole days, for example 3, 10.',
  },
};

let current = (() => {
  const saved = localStorage.getItem('nap-console-lang');
  if (saved === 'nl' || saved === 'en') return saved;
  return (navigator.language || 'nl').toLowerCase().startsWith('nl') ? 'nl' : 'en';
})();

export function lang() { return current; }

export function setLang(l) {
  current = l;
  localStorage.setItem('nap-console-lang', l);
}

export function t(key, vars) {
  let s = texts[current][key] ?? texts.nl[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split('{' + k + '}').join(v ?? '');
  return s;
}

/** The label of a value from a closed list (a state, a kind); an unknown value shows as itself. */
export function tv(prefix, value) {
  const key = prefix + '_' + value;
  return texts[current][key] ?? String(value ?? '');
}

export const kind = k => tv('kind', k);
export const reviewState = s => tv('review', s);
export const goalTitle = g => (g.title ? (current === 'en' ? g.title.en : g.title.nl) : '') || '';

export function amsterdam(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function number(n) {
  return typeof n === 'number' ? new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 2 }).format(n) : String(n ?? '');
}

/** The page's fixed texts (data-t) and its language. */
export function applyStatic() {
  document.documentElement.lang = current;
  document.querySelectorAll('[data-t]').forEach(el => { el.textContent = t(el.dataset.t); });
  const sw = document.getElementById('lang-switch');
  sw.setAttribute('lang', current === 'nl' ? 'en' : 'nl');
  document.title = t('pageTitle');
}

export const dictionaries = texts;
