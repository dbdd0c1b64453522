using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Nap.Security;

/// <summary>What a token of ours may be. Only signatory links remain: staff sign in with Entra ID (see <see cref="StaffSignIn"/>).</summary>
public enum TokenRole { Signatory }

/// <summary>
/// Who a valid link speaks for: the signatory (<see cref="Subject"/>), the one cycle it is for, the contact it was
/// sent to (<see cref="ContactHash"/>, the hash the reminder ledger uses, never the address) and its id
/// (<see cref="LinkId"/>, the JWT's <c>jti</c>, which revokes it alone).
/// </summary>
public sealed record NapPrincipal(TokenRole Role, string Subject, string CycleId, string ContactHash, string LinkId,
    DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string KeyId);

/// <summary>Settings under <c>Tokens:</c>. No key material: the key is in Key Vault (<c>LinkKeyName</c>) or a local file.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";
    public string Issuer { get; set; } = "nap1325";
    public string Audience { get; set; } = "nap1325-api";
    /// <summary>Name of the Key Vault key that signs links (RSA, sign only, not exportable).</summary>
    public string LinkKeyName { get; set; } = "link-signing";
    /// <summary>Where the local link key lives when no vault is configured (local only).</summary>
    public string? LocalKeyFile { get; set; }
    /// <summary>A link stays valid this long after its cycle's deadline (or the signatory's extension).</summary>
    public int GraceDays { get; set; } = 14;
    /// <summary>No link lives longer than this from its issue, whatever its deadline or the caller asks.</summary>
    public int MaxLifetimeDays { get; set; } = 60;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (GraceDays is < 0 or > 366) p.Add("Tokens__GraceDays must be 0-366");
        if (MaxLifetimeDays is < 1 or > 366) p.Add("Tokens__MaxLifetimeDays must be 1-366");
        if (string.IsNullOrWhiteSpace(LinkKeyName) || !LinkKeyName.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')) p.Add("Tokens__LinkKeyName must be letters, digits and hyphens");
        return p;
    }
}

/// <summary>The claims a new link carries; <see cref="TokenService.IssueAsync"/> adds the id and the times.</summary>
public sealed record LinkClaims(string SignatoryId, string CycleId, string ContactHash);

/// <summary>
/// Signs and checks signatory links: RS256 JWTs signed by <see cref="ILinkKeys"/> (Key Vault in Azure). Only RS256 with
/// a public key the link keys know is accepted, so an HMAC token made with a formerly exported secret is refused. Expiry
/// is checked against TimeProvider.
/// </summary>
public sealed class TokenService(TokenOptions options, ILinkKeys keys, TimeProvider time)
{
    private const string RoleClaim = "role";
    private const string CycleClaim = "cycle";
    private const string ContactClaim = "contact";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    public TokenOptions Options => options;

    /// <summary>A link valid until <paramref name="expires"/>; the caller has applied the lifetime rules (<see cref="SignatoryLinks"/>).</summary>
    public async Task<string> IssueAsync(LinkClaims link, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (expires <= now) throw new InvalidOperationException("A link must expire after it is issued.");
        var kid = await keys.CurrentKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = kid, ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = options.Issuer,
            ["aud"] = options.Audience,
            ["sub"] = link.SignatoryId,
            [RoleClaim] = "signatory",
            [CycleClaim] = link.CycleId,
            [ContactClaim] = link.ContactHash,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
        };
        var signingInput = Segment(header) + "." + Segment(payload);
        var signature = await keys.SignAsync(kid, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), cancellationToken).ConfigureAwait(false);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Segment(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));

    /// <summary>The principal of a valid link, or null for a forged, malformed, expired, unknown-key or non-RS256 token.</summary>
    public async Task<NapPrincipal?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096 || !_handler.CanReadToken(token)) return null;
        JsonWebToken unverified;
        try { unverified = _handler.ReadJsonWebToken(token); }
        catch (ArgumentException) { return null; }
        if (unverified.Alg != SecurityAlgorithms.RsaSha256 || string.IsNullOrEmpty(unverified.Kid)) return null;
        var publicKey = await keys.PublicKeyAsync(unverified.Kid, cancellationToken).ConfigureAwait(false);
        if (publicKey is null) return null;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            // No shared provider cache: IdentityModel caches by key id, and another host's (disposed) key of the same
            // id must never be the one that verifies.
            IssuerSigningKey = new RsaSecurityKey(publicKey) { KeyId = unverified.Kid, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Lifetime is ours to check: against TimeProvider, so tests and replays use the same clock.
            ValidateLifetime = false,
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;

        var now = time.GetUtcNow();
        var issuedAt = new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero);
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (jwt.ValidTo == DateTime.MinValue || now >= expires || now < new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero).AddMinutes(-5)) return null;
        // Whatever a (stolen) signing call produced: never honoured beyond the maximum lifetime.
        if (expires - issuedAt > TimeSpan.FromDays(options.MaxLifetimeDays) + TimeSpan.FromMinutes(1)) return null;
        if (!jwt.TryGetPayloadValue<string>(RoleClaim, out var role) || role != "signatory" || string.IsNullOrEmpty(jwt.Subject)) return null;
        if (!jwt.TryGetPayloadValue<string>(CycleClaim, out var cycle) || string.IsNullOrEmpty(cycle)) return null;
        if (!jwt.TryGetPayloadValue<string>(ContactClaim, out var contact) || string.IsNullOrEmpty(contact)) return null;
        if (string.IsNullOrEmpty(jwt.Id)) return null;
        return new NapPrincipal(TokenRole.Signatory, jwt.Subject, cycle, contact, jwt.Id, issuedAt, expires, jwt.Kid);
    }

    /// <summary>The token from an <c>Authorization: Bearer …</c> header value.</summary>
    public static string? BearerToken(string? authorizationHeader) =>
        authorizationHeader is { } h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h["Bearer ".Length..].Trim() : null;
}
