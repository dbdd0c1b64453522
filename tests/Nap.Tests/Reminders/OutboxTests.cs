using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Nap.Graph;
using Nap.Reminders;

namespace Nap.Tests.Reminders;

/// <summary>Without Graph settings, mail becomes .eml files a developer can open.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nap-outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private ServiceProvider Services(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2027, 3, 1, 6, 0, 0, TimeSpan.Zero)));
        services.AddNapReminders(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Without_a_tenant_each_message_is_an_eml_file_with_text_and_html_parts()
    {
        await using var provider = Services(new Dictionary<string, string?> { ["Mail:OutboxFolder"] = _folder, ["Graph:Mailbox"] = "nap1325@ministry.example.nl" });
        var sender = provider.GetRequiredService<IMailSender>();
        Assert.IsType<OutboxMailSender>(sender);
        Assert.Null(provider.GetService<Microsoft.Graph.GraphServiceClient>());

        var result = await sender.SendAsync(new OutgoingMail([new MailAddress("anna@example.org", "Anna de Vries")], "Herinnering", "<p>Beste Anna,</p>", "Beste Anna,", "nl"));
        await sender.SendAsync(new OutgoingMail([new MailAddress("bob@example.org")], "Reminder", "<p>Dear Bob,</p>", "Dear Bob,", "en"));

        Assert.Equal(MailSendOutcome.Sent, result.Outcome);
        var files = Directory.GetFiles(_folder, "*.eml").Order().ToList();
        Assert.Equal(2, files.Count);
        var message = MimeMessage.Load(files.Select(f => (File: f, Message: MimeMessage.Load(f))).Single(x => x.Message.Subject == "Herinnering").File);
        Assert.Equal("anna@example.org", message.To.Mailboxes.Single().Address);
        Assert.Equal("Anna de Vries", message.To.Mailboxes.Single().Name);
        Assert.Equal("nap1325@ministry.example.nl", message.From.Mailboxes.Single().Address);
        Assert.Equal("Beste Anna,", message.TextBody?.Trim());
        Assert.Equal("<p>Beste Anna,</p>", message.HtmlBody?.Trim());
        Assert.Equal("nl", message.Body!.Headers[HeaderId.ContentLanguage]);
        Assert.Equal(new DateTimeOffset(2027, 3, 1, 6, 0, 0, TimeSpan.Zero), message.Date);
    }

    [Fact]
    public async Task A_managed_identity_setting_registers_graph_and_requires_the_mailbox()
    {
        await using var provider = Services(new Dictionary<string, string?> { ["Graph:Credential"] = "managedidentity" });

        Assert.NotNull(provider.GetService<Microsoft.Graph.GraphServiceClient>());
        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMailSender>());
        Assert.Contains("Graph__Mailbox", ex.Message, StringComparison.Ordinal);
    }
}
