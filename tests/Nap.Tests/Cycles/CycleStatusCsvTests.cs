using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Nap.Api;
using Nap.Cycles;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Infrastructure;
using Nap.Tests.Reminders;

namespace Nap.Tests.Cycles;

/// <summary>The overview's CSV for Dutch Excel, and the status rows it comes from, over HTTP on the dev host.</summary>
public sealed class CycleStatusCsvTests(RemindersHostFixture host) : IClassFixture<RemindersHostFixture>
{
    [Fact]
    public async Task The_status_rows_and_the_csv_carry_paused_extension_review_and_the_last_reminder_sent()
    {
        var cycle = await host.CreateScopedCycleAsync();
        using var coordinator = host.CoordinatorClient();
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"api/cycles/{cycle.Id}/signatories/ministry-defence/reminders", new { paused = true })).StatusCode);
        var extension = cycle.Deadline.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.PutAsJsonAsync($"api/cycles/{cycle.Id}/signatories/brug-foundation/extension", new { deadline = extension })).StatusCode);
        using (var signatory = host.SignatoryClient("brug-foundation", cycle.Id))
            Assert.Equal(HttpStatusCode.Created, (await signatory.PostAsync($"api/cycles/{cycle.Id}/submissions",
                new StringContent(SampleSubmissions.Valid(2).ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);

        // A sent reminder counts; a later receipt and a failed reminder do not.
        var ledger = host.Services.GetRequiredService<ReminderLedger>();
        var sentAt = new DateTimeOffset(2027, 5, 3, 6, 0, 12, TimeSpan.Zero);
        async Task RecordAsync(string signatoryId, string stage, LedgerStatus status, DateTimeOffset? at)
        {
            var claimed = await ledger.TryClaimAsync(new LedgerEntry(cycle.Id, signatoryId, stage, ReminderLedger.RecipientHash($"{stage}@example.org"), "primary",
                LedgerStatus.Pending, 0, sentAt.AddMinutes(-1), null, null, null));
            Assert.NotNull(await ledger.TryUpdateAsync(claimed! with { Status = status, Attempts = 1, LastAttemptAt = at ?? sentAt, SentAt = at }));
        }
        await RecordAsync("centrum-voor-gender", "reminder-14", LedgerStatus.Sent, sentAt);
        await RecordAsync("centrum-voor-gender", "receipt-v1", LedgerStatus.Sent, sentAt.AddDays(2));
        await RecordAsync("stichting-stem-nu", "reminder-14", LedgerStatus.Failed, null);

        using var reader = host.StaffClient(StaffRoles.Reader);
        var status = (await reader.GetFromJsonAsync<JsonObject>($"api/cycles/{cycle.Id}/status"))!;
        var rows = status["signatories"]!.AsArray().ToDictionary(r => (string)r!["signatoryId"]!, r => r!.AsObject());
        Assert.True((bool)rows["ministry-defence"]["remindersPaused"]!);
        Assert.Equal(extension, (string)rows["brug-foundation"]["extension"]!);
        Assert.Null(rows["ministry-defence"]["extension"]);
        Assert.Equal(sentAt, (DateTimeOffset)rows["centrum-voor-gender"]["lastReminderSentUtc"]!);
        Assert.Equal(AmsterdamTime.Format(sentAt), (string)rows["centrum-voor-gender"]["lastReminderSent"]!);
        Assert.Null(rows["stichting-stem-nu"]["lastReminderSentUtc"]);
        Assert.Equal("submitted", (string)rows["brug-foundation"]["review"]!);

        var response = await reader.GetAsync($"api/cycles/{cycle.Id}/status.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"status-{cycle.Id}.csv", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = new UTF8Encoding(false).GetString(bytes[3..]);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var csv = Nap.Tests.Reports.Csv.Parse(text);
        Assert.Equal(CycleStatusCsv.Columns, csv[0]);
        Assert.Equal(rows.Keys.Order(), csv.Skip(1).Select(r => r[0]).Order());
        Assert.All(csv, r => Assert.Equal(CycleStatusCsv.Columns.Count, r.Count));
        var byId = csv.Skip(1).ToDictionary(r => r[0], r => CycleStatusCsv.Columns.Zip(r).ToDictionary(p => p.First, p => p.Second));
        Assert.Equal(("true", "1", "submitted", extension.Replace('T', ' ')),
            (byId["brug-foundation"]["submitted"], byId["brug-foundation"]["version"], byId["brug-foundation"]["reviewState"], byId["brug-foundation"]["extension"]));
        Assert.Equal(AmsterdamTime.ToLocal(sentAt).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), byId["centrum-voor-gender"]["lastReminderSent"]);
        Assert.Equal(("true", "false", ""), (byId["ministry-defence"]["remindersPaused"], byId["ministry-defence"]["submitted"], byId["ministry-defence"]["received"]));
        Assert.Equal(host.Signatories.Single(s => s.Id == "ministry-defence").Name, byId["ministry-defence"]["name"]);
        Assert.Equal("ministry", byId["ministry-defence"]["kind"]);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("api/cycles/1999/status.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.NewClient().GetAsync($"api/cycles/{cycle.Id}/status.csv")).StatusCode);
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_stay_text_and_separators_are_quoted()
    {
        string[] names = ["=HYPERLINK(\"http://evil.example\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn", "Semi;colon", "Quote \"q\"", "Line\nbreak", "Plain"];
        var rows = names.Select((n, i) => new SignatoryStatus($"s-{i}", n, SignatoryKind.Other, false, null, null, null, false, false, "2027-03-01T17:00:00+01:00", false)).ToList();
        var report = new CycleStatusReport("2027", "2027-03-01T17:00:00+01:00", rows.Count, 0, 0, rows.Count, 0, [], rows);
        using var buffer = new MemoryStream();
        await CycleStatusCsv.WriteAsync(report, buffer);
        var text = new UTF8Encoding(false).GetString(buffer.ToArray()[3..]);
        var csv = Nap.Tests.Reports.Csv.Parse(text);
        Assert.Equal(["'=HYPERLINK(\"http://evil.example\")", "'+31 6 1234", "'-2+3", "'@SUM(A1)", "'\tTabbed", "'\rReturn", "Semi;colon", "Quote \"q\"", "Line\nbreak", "Plain"],
            csv.Skip(1).Select(r => r[1]));
        Assert.Contains(";\"Semi;colon\";", text, StringComparison.Ordinal);
        Assert.Contains(";\"Quote \"\"q\"\"\";", text, StringComparison.Ordinal);
        Assert.Equal("2027-03-01 17:00", csv[1][CycleStatusCsv.Columns.ToList().IndexOf("deadline")]);
        Assert.Equal(";", CsvWriter.Cell(";", ',')); // only the file's own separator needs quotes
    }
}
