using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Nap.Keys;

/// <summary>A key as Key Vault describes it (public part only: the private key never leaves the vault).</summary>
/// <param name="KeyId">The versioned key identifier, <c>https://{vault}/keys/{name}/{version}</c>.</param>
public sealed record KeyVaultKey(string KeyId, string KeyType, IReadOnlyList<string> KeyOperations, bool Enabled, byte[]? Modulus, byte[]? Exponent);

/// <summary>The result of sign, wrapKey or unwrapKey: the key that did it (versioned) and the bytes.</summary>
public sealed record KeyOperationResult(string KeyId, byte[] Value);

/// <summary>
/// Key Vault's key operations the app needs, over its REST API (the Azure.Security.KeyVault.Keys SDK does not restore
/// here). Operations take a key identifier <c>https://{vault}/keys/{name}[/{version}]</c> of the configured vault.
/// </summary>
public interface IKeyVaultKeys
{
    Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default);
    Task<KeyOperationResult> SignAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default);
    Task<KeyOperationResult> WrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);
    Task<KeyOperationResult> UnwrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default);
}

/// <summary>One version of a key as Key Vault lists it (attributes only, no key material).</summary>
public sealed record KeyVaultKeyVersion(string KeyId, string Version, bool Enabled, DateTimeOffset? Created, DateTimeOffset? Expires);

/// <summary>
/// The key-management operations a rotation needs (operators only, with their own Azure credential: list versions needs
/// Key Vault Crypto User or Reader on the key, rotate needs Key Vault Crypto Officer). The app itself never calls them.
/// </summary>
public interface IKeyVaultKeyRotation
{
    Uri VaultUri { get; }
    Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<KeyVaultKeyVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken = default);
    /// <summary>Creates a new version of the key (Key Vault's rotate operation); the answer is that new version.</summary>
    Task<KeyVaultKey> RotateAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Pipeline options (retries, transport, diagnostics) and the REST API version of <see cref="KeyVaultKeysClient"/>.</summary>
public sealed class KeyVaultKeysClientOptions : ClientOptions
{
    /// <summary>A documented, generally available version with get, sign, wrapkey and unwrapkey.</summary>
    public string ApiVersion { get; set; } = "7.5";

    /// <summary>The token scope of Key Vault's data plane (public cloud).</summary>
    public string Scope { get; set; } = "https://vault.azure.net/.default";
}

/// <summary>
/// <see cref="IKeyVaultKeys"/> with Azure.Core's <see cref="HttpPipeline"/>: Entra ID bearer tokens from the given
/// credential, the SDK's retry policy, a <see cref="RequestFailedException"/> (status, Key Vault's error code) for every
/// refusal. Key material and operation values are never logged (the pipeline logs no bodies by default).
/// </summary>
public sealed class KeyVaultKeysClient : IKeyVaultKeys, IKeyVaultKeyRotation
{
    private readonly Uri _vault;
    private readonly HttpPipeline _pipeline;
    private readonly string _apiVersion;

    public KeyVaultKeysClient(Uri vaultUri, TokenCredential credential, KeyVaultKeysClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeyVaultKeysClientOptions();
        _vault = new Uri(vaultUri.GetLeftPart(UriPartial.Authority) + "/");
        _apiVersion = options.ApiVersion;
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, options.Scope));
    }

    public Uri VaultUri => _vault;

    public async Task<KeyVaultKey> GetKeyAsync(string name, string? version = null, CancellationToken cancellationToken = default)
    {
        ValidateSegment(name, nameof(name));
        if (!string.IsNullOrEmpty(version)) ValidateSegment(version, nameof(version));
        using var message = CreateMessage(RequestMethod.Get, string.IsNullOrEmpty(version) ? $"keys/{name}" : $"keys/{name}/{version}", body: null);
        return KeyOf(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    public async Task<KeyVaultKey> RotateAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateSegment(name, nameof(name));
        using var message = CreateMessage(RequestMethod.Post, $"keys/{name}/rotate", body: null);
        return KeyOf(await SendAsync(message, cancellationToken).ConfigureAwait(false));
    }

    public async Task<IReadOnlyList<KeyVaultKeyVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateSegment(name, nameof(name));
        var versions = new List<KeyVaultKeyVersion>();
        using var first = CreateMessage(RequestMethod.Get, $"keys/{name}/versions", body: null);
        var page = await SendAsync(first, cancellationToken).ConfigureAwait(false);
        for (var pages = 0; ; pages++)
        {
            foreach (var item in page["value"]?.AsArray() ?? [])
            {
                var kid = (string?)item?["kid"] ?? throw new InvalidOperationException("Key Vault listed a version without a key id.");
                var version = ParseKeyId(kid).Version ?? throw new InvalidOperationException("Key Vault listed a key id without a version.");
                versions.Add(new KeyVaultKeyVersion(kid, version, (bool?)item!["attributes"]?["enabled"] ?? true,
                    UnixTime(item["attributes"]?["created"]), UnixTime(item["attributes"]?["exp"])));
            }
            if ((string?)page["nextLink"] is not { Length: > 0 } next) return versions;
            // The next page is a full URL; it must be this vault, so the token never goes elsewhere.
            if (pages > 1000 || !Uri.TryCreate(next, UriKind.Absolute, out var nextUri) || nextUri.Scheme != _vault.Scheme
                || !string.Equals(nextUri.Authority, _vault.Authority, StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException("Key Vault answered with a next page outside the vault.");
            using var message = _pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(nextUri);
            message.Request.Headers.Add("Accept", "application/json");
            page = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset? UnixTime(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static KeyVaultKey KeyOf(JsonObject json)
    {
        var key = json["key"] as JsonObject ?? throw new InvalidOperationException("Key Vault answered without a key.");
        return new KeyVaultKey(
            (string?)key["kid"] ?? throw new InvalidOperationException("Key Vault answered without a key id."),
            (string?)key["kty"] ?? "",
            key["key_ops"]?.AsArray().Select(o => (string)o!).ToList() ?? [],
            (bool?)json["attributes"]?["enabled"] ?? true,
            Base64UrlOrNull(key["n"]),
            Base64UrlOrNull(key["e"]));
    }

    public Task<KeyOperationResult> SignAsync(string keyId, string algorithm, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken = default) =>
        OperateAsync(keyId, "sign", algorithm, digest, cancellationToken);

    public Task<KeyOperationResult> WrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        OperateAsync(keyId, "wrapkey", algorithm, key, cancellationToken);

    public Task<KeyOperationResult> UnwrapKeyAsync(string keyId, string algorithm, ReadOnlyMemory<byte> encryptedKey, CancellationToken cancellationToken = default) =>
        OperateAsync(keyId, "unwrapkey", algorithm, encryptedKey, cancellationToken);

    /// <summary>
    /// The name and version of a key id of this vault. A key id from elsewhere (for example the metadata of a stored
    /// blob) is refused before any request, so a token for this vault is never sent to another host.
    /// </summary>
    public (string Name, string? Version) ParseKeyId(string keyId)
    {
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var uri) || uri.Scheme != _vault.Scheme
            || !string.Equals(uri.Authority, _vault.Authority, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The key id is not a key of the vault {_vault.Host}.", nameof(keyId));
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is not (2 or 3) || segments[0] != "keys")
            throw new ArgumentException("The key id is not of the form https://{vault}/keys/{name}[/{version}].", nameof(keyId));
        var name = segments[1];
        var version = segments.Length == 3 ? segments[2] : null;
        ValidateSegment(name, nameof(keyId));
        if (version is not null) ValidateSegment(version, nameof(keyId));
        return (name, version);
    }

    private async Task<KeyOperationResult> OperateAsync(string keyId, string operation, string algorithm, ReadOnlyMemory<byte> value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm);
        var (name, version) = ParseKeyId(keyId);
        // Operations address one key version; a versionless id means the current one, looked up first.
        version ??= ParseKeyId((await GetKeyAsync(name, cancellationToken: ct).ConfigureAwait(false)).KeyId).Version
            ?? throw new InvalidOperationException("Key Vault answered with a key id without a version.");
        var body = new JsonObject { ["alg"] = algorithm, ["value"] = Base64Url.EncodeToString(value.Span) };
        using var message = CreateMessage(RequestMethod.Post, $"keys/{name}/{version}/{operation}", body);
        var json = await SendAsync(message, ct).ConfigureAwait(false);
        var result = Base64UrlOrNull(json["value"]) ?? throw new InvalidOperationException($"Key Vault answered {operation} without a value.");
        return new KeyOperationResult((string?)json["kid"] ?? keyId, result);
    }

    private HttpMessage CreateMessage(RequestMethod method, string path, JsonObject? body)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(_vault);
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", _apiVersion);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body));
        }
        return message;
    }

    private async Task<JsonObject> SendAsync(HttpMessage message, CancellationToken ct)
    {
        await _pipeline.SendAsync(message, ct).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError) throw new RequestFailedException(response);
        return JsonNode.Parse(response.Content.ToMemory().Span) as JsonObject
            ?? throw new InvalidOperationException("Key Vault answered with something other than a JSON object.");
    }

    // Key and version names are letters, digits and hyphens (Key Vault's own rule): nothing that changes the path.
    private static void ValidateSegment(string value, string parameter)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 127 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new ArgumentException("A key name or version is 1-127 letters, digits and hyphens.", parameter);
    }

    private static byte[]? Base64UrlOrNull(JsonNode? node) => node is null ? null : Base64Url.DecodeFromChars(((string)node!).AsSpan());
}
