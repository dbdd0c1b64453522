using System.Text;
using Azure.Core.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Nap.Keys;
using Nap.Tests.Infrastructure;
using Nap.Tests.Reminders;

namespace Nap.Tests.Keys;

/// <summary>
/// Azure.Storage.Blobs client-side encryption v2 (AES-GCM) in Azurite with the two key-encryption keys the app has: the
/// local key file and the Key Vault key (WireMock wrapping with a real RSA key).
/// </summary>
public sealed class ClientSideEncryptionTests : IDisposable
{
    private const string Secret = "Naam van een mensenrechtenverdediger in Goma";
    private readonly string _keyDir = Directory.CreateTempSubdirectory("nap-keys-").FullName;

    public void Dispose() => Directory.Delete(_keyDir, recursive: true);

    private static async Task<BlobContainerClient> ContainerAsync(IKeyEncryptionKey? key, IKeyEncryptionKeyResolver? resolver, string name)
    {
        var options = new SpecializedBlobClientOptions();
        if (key is not null || resolver is not null)
            options.ClientSideEncryption = new ClientSideEncryptionOptions(ClientSideEncryptionVersion.V2_0)
            {
                KeyEncryptionKey = key, KeyResolver = resolver, KeyWrapAlgorithm = LocalKeyEncryptionKey.WrapAlgorithm,
            };
        var container = new BlobServiceClient(Azurite.ConnectionString, options).GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static async Task RoundTripAsync(IKeyEncryptionKey key, IKeyEncryptionKeyResolver resolver, string expectedKeyId)
    {
        var name = "cse-" + Guid.NewGuid().ToString("N")[..12];
        var blobName = "2025/probe.json";
        await (await ContainerAsync(key, null, name)).GetBlobClient(blobName).UploadAsync(BinaryData.FromString(Secret));

        // At rest: ciphertext, and the metadata names the key that wrapped the content key.
        var plain = (await ContainerAsync(null, null, name)).GetBlobClient(blobName);
        var stored = (await plain.DownloadContentAsync()).Value;
        Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(stored.Content.ToArray()));
        Assert.DoesNotContain("Goma", Encoding.UTF8.GetString(stored.Content.ToArray()));
        var encryptionData = stored.Details.Metadata["encryptiondata"];
        Assert.Contains("\"Protocol\":\"2.0\"", encryptionData.Replace(" ", "", StringComparison.Ordinal));
        Assert.Contains(expectedKeyId, encryptionData);

        // A reader with only the resolver gets the text back.
        var reader = (await ContainerAsync(null, resolver, name)).GetBlobClient(blobName);
        Assert.Equal(Secret, (await reader.DownloadContentAsync()).Value.Content.ToString());
        await (await ContainerAsync(null, null, name)).DeleteAsync();
    }

    [Fact]
    public async Task Local_key_encrypts_and_decrypts_a_blob_and_survives_a_restart()
    {
        var path = Path.Combine(_keyDir, "nested", "data-kek.pem");
        using var key = LocalKeyEncryptionKey.OpenOrCreate(path);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await RoundTripAsync(key, key, key.KeyId);

        // The same file next run: the same key (blobs stay readable); another file is another key and is refused.
        using var again = LocalKeyEncryptionKey.OpenOrCreate(path);
        Assert.Equal(key.KeyId, again.KeyId);
        using var other = LocalKeyEncryptionKey.OpenOrCreate(Path.Combine(_keyDir, "other.pem"));
        Assert.NotEqual(key.KeyId, other.KeyId);
        Assert.Throws<InvalidOperationException>(() => other.Resolve(key.KeyId));
    }

    [Fact]
    public async Task Key_vault_key_encrypts_and_decrypts_a_blob_with_wrap_and_unwrap_in_the_vault()
    {
        using var vault = new KeyVaultMock();
        var client = new KeyVaultKeysClient(vault.VaultUri, new FakeTokenCredential("fake-vault-token"), new KeyVaultKeysClientOptions { Transport = KeyVaultMock.Transport() });
        IDataKeys keys = new KeyVaultDataKeys(client, KeyVaultMock.KeyName);
        var current = await keys.CurrentAsync();
        Assert.Equal(vault.KeyId, current.KeyId);
        await RoundTripAsync(current, keys.Resolver, vault.KeyId);
        var paths = vault.Requests.Select(r => r.Path).ToList();
        Assert.Contains($"/keys/{KeyVaultMock.KeyName}/{KeyVaultMock.Version}/wrapkey", paths);
        Assert.Contains($"/keys/{KeyVaultMock.KeyName}/{KeyVaultMock.Version}/unwrapkey", paths);
    }
}
