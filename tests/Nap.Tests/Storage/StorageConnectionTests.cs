using Microsoft.Extensions.Configuration;
using Nap.Storage;

namespace Nap.Tests.Storage;

public sealed class StorageConnectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Connection_string_form_is_used_when_set()
    {
        var storage = NapStorage.FromConfiguration(Config(("NapStorage", "UseDevelopmentStorage=true")));
        Assert.Equal("devstoreaccount1", storage.Blobs.AccountName);
        Assert.Equal("devstoreaccount1", storage.Tables.AccountName);
    }

    [Fact]
    public void Identity_based_settings_give_clients_for_the_named_service_uris()
    {
        // App settings NapStorage__blobServiceUri etc. arrive in configuration as NapStorage:blobServiceUri.
        var storage = NapStorage.FromConfiguration(Config(
            ("NapStorage:blobServiceUri", "https://stnap.blob.core.windows.net"),
            ("NapStorage:tableServiceUri", "https://stnap.table.core.windows.net"),
            ("NapStorage:credential", "managedidentity"),
            ("NapStorage:clientId", "00000000-0000-0000-0000-000000000001")));
        Assert.Equal(new Uri("https://stnap.blob.core.windows.net"), storage.Blobs.Uri);
        Assert.Equal("stnap", storage.Tables.AccountName);
    }

    [Fact]
    public void Missing_storage_settings_name_both_forms()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => NapStorage.FromConfiguration(Config(("NapStorage:blobServiceUri", "https://x.blob.core.windows.net"))));
        Assert.Contains("NapStorage__tableServiceUri", ex.Message);
    }

    [Fact]
    public void Managed_identity_credential_is_chosen_for_the_managedidentity_setting()
    {
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(NapStorage.CreateCredential("managedidentity", "00000000-0000-0000-0000-000000000001"));
        Assert.IsType<Azure.Identity.DefaultAzureCredential>(NapStorage.CreateCredential(null, null));
    }
}
