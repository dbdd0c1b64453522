using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Nap.Security;

/// <summary>What a token of ours may be. Only signatory links remain: staff sign in with Entra ID (see <see cref="StaffSignIn"/>).</summary>
public enum TokenRole { Signatory }

/// <summary>Who a valid token speaks for. For a signatory, <see cref="Subject"/> is the signatory id.</summary>
public sealed record NapPrincipal(TokenRole Role, string Subject, string? CycleId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string KeyId);

public sealed class SigningKey
{
    public string Id { get; set; } = "";
    /// <summary>Base64 HMAC key, at least 256 bits. In Azure a Key Vault reference.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>Settings under <c>Tokens:</c>. Several keys may be listed so old links keep working while a new key signs.</summary>
public sealed class TokenOptions
{
    public const string Section = "Tokens";
    public List<SigningKey> Keys { get; set; } = [];
    public string ActiveKeyId { get; set; } = "";
    public string Issuer { get; set; } = "nap1325";
    public string Audience { get; set; } = "nap1325-api";
    public int SignatoryLifetimeDays { get; set; } = 120;
}

/// <summary>Signs and checks our own HS256 JWTs with the IdentityModel library; expiry is checked against TimeProvider.</summary>
public sealed class TokenService
{
    private const string RoleClaim = "role";
    private const string CycleClaim = "cycle";
    private readonly TokenOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SymmetricSecurityKey> _keys;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    public TokenService(TokenOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var problems = new List<string>();
        _keys = new Dictionary<string, SymmetricSecurityKey>(StringComparer.Ordinal);
        foreach (var k in options.Keys)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(k.Secret); }
            catch (FormatException) { problems.Add($"key '{k.Id}' is not base64"); continue; }
            if (string.IsNullOrWhiteSpace(k.Id)) problems.Add("a signing key has no id");
            else if (bytes.Length < 32) problems.Add($"key '{k.Id}' is shorter than 256 bits");
            else if (!_keys.TryAdd(k.Id, new SymmetricSecurityKey(bytes) { KeyId = k.Id })) problems.Add($"key id '{k.Id}' appears twice");
        }
        if (_keys.Count == 0) problems.Add("no signing key is configured (Tokens__Keys__0__Id and Tokens__Keys__0__Secret)");
        if (!_keys.ContainsKey(options.ActiveKeyId)) problems.Add($"Tokens__ActiveKeyId '{options.ActiveKeyId}' names no configured key");
        if (problems.Count > 0) throw new InvalidOperationException("Token settings are not valid: " + string.Join("; ", problems));
    }

    public string IssueForSignatory(string signatoryId, string? cycleId, TimeSpan? lifetime = null) =>
        Issue(TokenRole.Signatory, signatoryId, cycleId, lifetime ?? TimeSpan.FromDays(_options.SignatoryLifetimeDays));

    public string Issue(TokenRole role, string subject, string? cycleId, TimeSpan lifetime)
    {
        var now = _time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [RoleClaim] = "signatory",
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (cycleId is not null) claims[CycleClaim] = cycleId;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(_keys[_options.ActiveKeyId], SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The principal of a valid token, or null for a forged, malformed, expired or unknown-key token.</summary>
    public async Task<NapPrincipal?> ValidateAsync(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return null;
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            IssuerSigningKeyResolver = (_, _, kid, _) => kid is not null && _keys.TryGetValue(kid, out var key) ? [key] : [],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            // Lifetime is ours to check: against TimeProvider, so tests and replays use the same clock.
            ValidateLifetime = false,
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return null;

        var now = _time.GetUtcNow();
        var issuedAt = new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero);
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (jwt.ValidTo == DateTime.MinValue || now >= expires || now < new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero).AddMinutes(-5)) return null;
        var role = jwt.TryGetPayloadValue<string>(RoleClaim, out var r) ? r : null;
        // Coordinator tokens are retired: one still in circulation is refused like a forged one.
        TokenRole? parsedRole = role switch { "signatory" => TokenRole.Signatory, _ => null };
        if (parsedRole is null || string.IsNullOrEmpty(jwt.Subject)) return null;
        var cycle = jwt.TryGetPayloadValue<string>(CycleClaim, out var c) ? c : null;
        return new NapPrincipal(parsedRole.Value, jwt.Subject, cycle, issuedAt, expires, jwt.Kid);
    }

    /// <summary>The token from an <c>Authorization: Bearer …</c> header value.</summary>
    public static string? BearerToken(string? authorizationHeader) =>
        authorizationHeader is { } h && h.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? h["Bearer ".Length..].Trim() : null;

    public static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
