using System.Security.Cryptography;
using Azure;
using Nap.Keys;
using Nap.Tests.Reminders;

namespace Nap.Tests.Keys;

/// <summary>The Key Vault REST client against WireMock doing real RSA with the test's key.</summary>
public sealed class KeyVaultKeysClientTests : IClassFixture<KeyVaultMock>
{
    private readonly KeyVaultMock _vault;
    private readonly FakeTokenCredential _credential = new("fake-vault-token");

    /// <summary>One mock (and one RSA 3072 key) for the class; each test starts with no recorded requests.</summary>
    public KeyVaultKeysClientTests(KeyVaultMock vault)
    {
        _vault = vault;
        _vault.Requests.Clear();
    }

    private KeyVaultKeysClient Client() => new(_vault.VaultUri, _credential, new KeyVaultKeysClientOptions { Transport = KeyVaultMock.Transport() });

    [Fact]
    public async Task Get_key_returns_the_versioned_id_and_the_public_key_with_a_vault_token_and_the_api_version()
    {
        var key = await Client().GetKeyAsync(KeyVaultMock.KeyName);
        Assert.Equal(_vault.KeyId, key.KeyId);
        Assert.Equal("RSA", key.KeyType);
        Assert.Contains("wrapKey", key.KeyOperations);
        Assert.True(key.Enabled);
        Assert.Equal(_vault.Rsa.ExportParameters(false).Modulus, key.Modulus);
        Assert.Equal(_vault.Rsa.ExportParameters(false).Exponent, key.Exponent);

        var request = Assert.Single(_vault.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/keys/{KeyVaultMock.KeyName}", request.Path);
        Assert.Contains("api-version=7.5", request.Query);
        Assert.Equal("Bearer fake-vault-token", request.Authorization);
        Assert.Equal(["https://vault.azure.net/.default"], Assert.Single(_credential.Scopes));
    }

    [Fact]
    public async Task Wrap_and_unwrap_round_trip_through_the_vault_with_rsa_oaep_256()
    {
        var client = Client();
        var contentKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await client.WrapKeyAsync(_vault.KeyId, "RSA-OAEP-256", contentKey);
        Assert.Equal(_vault.KeyId, wrapped.KeyId);
        Assert.Equal(384, wrapped.Value.Length); // RSA 3072
        // Really wrapped with the vault's public key: the test's private key opens it.
        Assert.Equal(contentKey, _vault.Rsa.Decrypt(wrapped.Value, RSAEncryptionPadding.OaepSHA256));

        var unwrapped = await client.UnwrapKeyAsync(_vault.KeyId, "RSA-OAEP-256", wrapped.Value);
        Assert.Equal(contentKey, unwrapped.Value);
        Assert.All(_vault.Requests, r => Assert.Equal("POST", r.Method));
        Assert.Equal([$"/keys/{KeyVaultMock.KeyName}/{KeyVaultMock.Version}/wrapkey", $"/keys/{KeyVaultMock.KeyName}/{KeyVaultMock.Version}/unwrapkey"], _vault.Requests.Select(r => r.Path));
        Assert.All(_vault.Requests, r => Assert.Contains("\"alg\":\"RSA-OAEP-256\"", r.Body));
    }

    [Fact]
    public async Task A_versionless_key_id_operates_on_the_current_version()
    {
        var wrapped = await Client().WrapKeyAsync($"{_vault.VaultUri}keys/{KeyVaultMock.KeyName}", "RSA-OAEP-256", new byte[32]);
        Assert.Equal(_vault.KeyId, wrapped.KeyId);
        Assert.Equal([$"/keys/{KeyVaultMock.KeyName}", $"/keys/{KeyVaultMock.KeyName}/{KeyVaultMock.Version}/wrapkey"], _vault.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Sign_returns_a_signature_the_public_key_verifies()
    {
        var digest = SHA256.HashData("a canonical link request"u8);
        var signed = await Client().SignAsync(_vault.KeyId, "RS256", digest);
        Assert.True(_vault.Rsa.VerifyHash(digest, signed.Value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task A_refusal_is_a_request_failed_exception_with_status_and_key_vault_error_code()
    {
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Client().GetKeyAsync("forbidden-key"));
        Assert.Equal(403, ex.Status);
        Assert.Equal("Forbidden", ex.ErrorCode);

        var bad = await Assert.ThrowsAsync<RequestFailedException>(() => Client().UnwrapKeyAsync(_vault.KeyId, "RSA-OAEP-256", new byte[384]));
        Assert.Equal(400, bad.Status);
    }

    [Theory]
    [InlineData("https://evil.example/keys/data-kek/1")]
    [InlineData("http://localhost/keys/data-kek")]
    [InlineData("{vault}keys/data-kek/1/extra")]
    [InlineData("{vault}keys/data%2Fkek/1")]
    [InlineData("{vault}secrets/data-kek")]
    [InlineData("not a uri")]
    public async Task A_key_id_outside_the_vault_is_refused_before_any_request_or_token(string keyId)
    {
        keyId = keyId.Replace("{vault}", _vault.VaultUri.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Client().WrapKeyAsync(keyId, "RSA-OAEP-256", new byte[32]));
        Assert.Throws<ArgumentException>(() => new KeyVaultKeyResolver(Client()).Resolve(keyId));
        Assert.Empty(_vault.Requests);
        Assert.Equal(0, _credential.Requests);
    }
}
