using System.Text;
using Microsoft.Extensions.Time.Testing;
using Nap.Security;

namespace Nap.Tests.Domain;

public sealed class TokenServiceTests
{
    private static readonly string KeyA = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"));
    private static readonly string KeyB = Convert.ToBase64String(Encoding.UTF8.GetBytes("fedcba9876543210fedcba9876543210"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private TokenService Service(string active = "a", params (string Id, string Secret)[] keys) => new(new TokenOptions
    {
        ActiveKeyId = active,
        Keys = (keys.Length == 0 ? [("a", KeyA)] : keys).Select(k => new SigningKey { Id = k.Id, Secret = k.Secret }).ToList(),
    }, _time);

    [Fact]
    public async Task Signatory_token_round_trips_with_role_subject_cycle_and_key_id()
    {
        var service = Service();
        var principal = await service.ValidateAsync(service.IssueForSignatory("vrede-nu", "2026"));
        Assert.NotNull(principal);
        Assert.Equal((TokenRole.Signatory, "vrede-nu", "2026", "a"), (principal.Role, principal.Subject, principal.CycleId, principal.KeyId));
    }

    [Fact]
    public async Task Expiry_is_checked_against_the_time_provider()
    {
        var service = Service();
        var token = service.IssueForSignatory("vrede-nu", "2026", TimeSpan.FromDays(1));
        _time.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await service.ValidateAsync(token));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await service.ValidateAsync(token));
    }

    [Fact]
    public async Task Forged_signature_and_tampered_payload_are_refused()
    {
        var service = Service();
        var token = service.IssueForSignatory("vrede-nu", "2026");
        var parts = token.Split('.');
        var forged = Service("a", ("a", KeyB)).IssueForSignatory("vrede-nu", "2026");
        Assert.Null(await service.ValidateAsync(forged));
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("vrede-nu\"", "vrede-nx\"");
        Assert.Null(await service.ValidateAsync($"{parts[0]}.{Base64UrlEncode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}"));
        Assert.Null(await service.ValidateAsync($"{parts[0]}.{parts[1]}."));
        Assert.Null(await service.ValidateAsync("not a token"));
    }

    [Fact]
    public async Task A_validly_signed_coordinator_token_from_before_Entra_sign_in_is_refused()
    {
        // Coordinator JWTs are retired: staff sign in with Entra ID. One minted earlier with the same key is worthless.
        var key = new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(KeyA)) { KeyId = "a" };
        var now = _time.GetUtcNow().UtcDateTime;
        var old = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(
            new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = "nap1325",
                Audience = "nap1325-api",
                Claims = new Dictionary<string, object> { ["sub"] = "local-coordinator", ["role"] = "coordinator" },
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddHours(12),
                SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
            });
        Assert.Null(await Service().ValidateAsync(old));
    }

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var service = Service();
        var header = Base64UrlEncode(Encoding.UTF8.GetBytes("""{"alg":"none","kid":"a","typ":"JWT"}"""));
        var body = Base64UrlEncode(Encoding.UTF8.GetBytes("""{"sub":"x","role":"coordinator","iss":"nap1325","aud":"nap1325-api","exp":4102444800,"iat":1795000000}"""));
        Assert.Null(await service.ValidateAsync($"{header}.{body}."));
    }

    [Fact]
    public async Task Keys_rotate_without_breaking_issued_links()
    {
        var old = Service("a", ("a", KeyA));
        var token = old.IssueForSignatory("vrede-nu", null);
        var rotated = Service("b", ("a", KeyA), ("b", KeyB));
        Assert.NotNull(await rotated.ValidateAsync(token));
        Assert.Equal("b", (await rotated.ValidateAsync(rotated.IssueForSignatory("x", null)))!.KeyId);
        var retired = Service("b", ("b", KeyB));
        Assert.Null(await retired.ValidateAsync(token));
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 !!")]
    public void Weak_or_malformed_keys_fail_start(string secret)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Service("a", ("a", secret)));
        Assert.Contains("key 'a'", ex.Message);
    }

    [Fact]
    public void Active_key_must_exist() =>
        Assert.Contains("ActiveKeyId", Assert.Throws<InvalidOperationException>(() => Service("z")).Message);

    private static byte[] Base64UrlDecode(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    private static string Base64UrlEncode(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
