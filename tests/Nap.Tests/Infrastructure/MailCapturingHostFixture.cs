using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Nap.Graph;
using Nap.Signatories;

namespace Nap.Tests.Infrastructure;

/// <summary>
/// A dev host whose mail is kept in memory (<see cref="Mail"/>), so a test can read the one-time code a signatory is
/// emailed and read back confidential parts with a verified session, as the form does.
/// </summary>
public class MailCapturingHostFixture : DevHostFixture
{
    /// <summary>Every mail the app sends (receipts, codes), kept in memory instead of the .eml outbox.</summary>
    public CapturedMail Mail { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<IMailSender>(Mail);

    /// <summary>The address <see cref="DevHostFixture.Token"/> names in a signatory's link (its primary contact).</summary>
    public string LinkContact(string signatoryId)
    {
        var s = Signatories.Single(x => x.Id == signatoryId);
        return s.ContactsIn(ContactRole.Primary).Concat(s.Contacts).First().Email;
    }

    /// <summary>A signatory's link client with a verified session (code asked for, read from the mail, confirmed).</summary>
    public async Task<HttpClient> VerifiedSignatoryClientAsync(string signatoryId, string cycleId)
    {
        var client = SignatoryClient(signatoryId, cycleId);
        var email = LinkContact(signatoryId);
        var before = Mail.CodesTo(email).Count;
        var sent = await client.PostAsync($"api/cycles/{cycleId}/verification", null);
        if (sent.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"No code sent: {(int)sent.StatusCode}");
        var code = Mail.CodesTo(email).Skip(before).Single();
        var confirmed = await client.PostAsJsonAsync($"api/cycles/{cycleId}/verification/confirm", new JsonObject { ["code"] = code });
        confirmed.EnsureSuccessStatusCode();
        var session = (string)(await confirmed.Content.ReadFromJsonAsync<JsonObject>())!["sessionToken"]!;
        client.DefaultRequestHeaders.Add("X-Nap-Session", session);
        return client;
    }
}

/// <summary>A mail sender that records every message and says it was sent (the tests read codes and receipts from it).</summary>
public sealed partial class CapturedMail : IMailSender
{
    public ConcurrentQueue<OutgoingMail> Sent { get; } = new();

    public Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Sent.Enqueue(mail);
        return Task.FromResult(MailSendResult.Sent);
    }

    [GeneratedRegex(@"Code: (\d{6})")]
    private static partial Regex CodeLine();

    /// <summary>The one-time codes mailed to <paramref name="email"/>, oldest first.</summary>
    public List<string> CodesTo(string email) => Sent
        .Where(m => m.To.Any(a => string.Equals(a.Email, email, StringComparison.OrdinalIgnoreCase)) && CodeLine().IsMatch(m.Text))
        .Select(m => CodeLine().Match(m.Text).Groups[1].Value).ToList();
}
