using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Nap.Cycles;
using Nap.Keys;
using Nap.Reminders;
using Nap.Security;
using Nap.Signatories;
using Nap.Tests.Keys;
using Nap.Tests.Reminders;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Nap.Tests.Security;

/// <summary>
/// Signatory links: RS256 signed by the link key (WireMock standing in for Key Vault with two key versions, or the local
/// key file), bound to a cycle and a contact, with an id, and lifetimes by the rules.
/// </summary>
public sealed class LinkTokenTests : IDisposable
{
    private const string Name = "link-signing";
    private const string V1 = "11111111111111111111111111111111";
    private const string V2 = "22222222222222222222222222222222";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private readonly KeyVaultMock _vault = new();
    private readonly Dictionary<string, RSA> _versions = new() { [V1] = RSA.Create(2048), [V2] = RSA.Create(2048) };
    private readonly HashSet<string> _disabled = [];
    private string _current = V1;
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"link-key-{Guid.NewGuid():N}.pem");

    public LinkTokenTests()
    {
        // Key Vault's get key (current and by version) and sign, really computed with each version's own RSA key.
        _vault.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^/keys/{Name}(/[0-9a-f]{{32}})?$")).UsingGet())
            .RespondWith(Response.Create().WithCallback(r =>
            {
                _vault.Requests.Enqueue((r.Method, r.AbsolutePath, r.RawQuery ?? "", null, r.Body));
                var version = r.AbsolutePath.Split('/') is { Length: 4 } p ? p[3] : _current;
                if (!_versions.TryGetValue(version, out var rsa)) return Json(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "KeyNotFound" } });
                var pub = rsa.ExportParameters(false);
                return Json(200, new JsonObject
                {
                    ["key"] = new JsonObject { ["kid"] = $"{_vault.Server.Url}/keys/{Name}/{version}", ["kty"] = "RSA", ["key_ops"] = new JsonArray("sign", "verify"),
                        ["n"] = Base64Url.EncodeToString(pub.Modulus), ["e"] = Base64Url.EncodeToString(pub.Exponent) },
                    ["attributes"] = new JsonObject { ["enabled"] = !_disabled.Contains(version) },
                });
            }));
        _vault.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^/keys/{Name}/[0-9a-f]{{32}}/sign$")).UsingPost())
            .RespondWith(Response.Create().WithCallback(r =>
            {
                _vault.Requests.Enqueue((r.Method, r.AbsolutePath, r.RawQuery ?? "", null, r.Body));
                var version = r.AbsolutePath.Split('/')[3];
                var body = JsonNode.Parse(r.Body!)!;
                if ((string)body["alg"]! != "RS256" || _disabled.Contains(version)) return Json(400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadParameter" } });
                var digest = Base64Url.DecodeFromChars(((string)body["value"]!).AsSpan());
                var signature = _versions[version].SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return Json(200, new JsonObject { ["kid"] = $"{_vault.Server.Url}/keys/{Name}/{version}", ["value"] = Base64Url.EncodeToString(signature) });
            }));
    }

    private static WireMock.ResponseMessage Json(int status, JsonObject body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new WireMock.Util.BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = WireMock.Types.BodyType.String },
    };

    private KeyVaultLinkKeys VaultKeys() =>
        new(new KeyVaultKeysClient(_vault.VaultUri, new FakeTokenCredential("t"), new KeyVaultKeysClientOptions { Transport = KeyVaultMock.Transport() }), Name, _time);

    private TokenService Service(ILinkKeys keys, TokenOptions? options = null) => new(options ?? new TokenOptions(), keys, _time);

    private static readonly LinkClaims Claims = new("vrede-nu", "2026", ReminderLedger.RecipientHash("eva@vrede.example.org"));

    private static JsonObject Header(string token) => JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0].AsSpan()))!.AsObject();

    [Fact]
    public async Task A_link_is_an_rs256_jwt_signed_in_the_vault_naming_cycle_contact_and_an_id()
    {
        var service = Service(VaultKeys());
        var token = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(10));
        Assert.Equal(("RS256", V1), ((string)Header(token)["alg"]!, (string)Header(token)["kid"]!));
        var principal = await service.ValidateAsync(token);
        Assert.NotNull(principal);
        Assert.Equal(("vrede-nu", "2026", Claims.ContactHash, V1), (principal.Subject, principal.CycleId, principal.ContactHash, principal.KeyId));
        Assert.Matches("^[0-9a-f]{32}$", principal.LinkId);
        Assert.NotEqual(principal.LinkId, (await service.ValidateAsync(await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(10))))!.LinkId);
        Assert.Contains(_vault.Requests, r => r.Path == $"/keys/{Name}/{V1}/sign");
        Assert.DoesNotContain("eva@", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1].AsSpan())));
    }

    [Fact]
    public async Task After_rotation_new_links_use_the_new_version_and_links_of_the_previous_version_keep_working_until_it_is_disabled()
    {
        var keys = VaultKeys();
        var service = Service(keys);
        var old = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(30));

        _current = V2; // a new key version in the vault
        _time.Advance(KeyVaultLinkKeys.CurrentKeyRefresh + TimeSpan.FromSeconds(1));
        var fresh = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(30));
        Assert.Equal(V2, (string)Header(fresh)["kid"]!);
        Assert.Equal(V1, (await service.ValidateAsync(old))!.KeyId);
        Assert.Equal(V2, (await service.ValidateAsync(fresh))!.KeyId);
        // Another instance (cold cache) checks both too.
        Assert.NotNull(await Service(VaultKeys()).ValidateAsync(old));

        _disabled.Add(V1); // the rotation's last step, once the old version's links have expired
        _time.Advance(KeyVaultLinkKeys.PublicKeyRefresh + TimeSpan.FromSeconds(1));
        Assert.Null(await service.ValidateAsync(old));
        Assert.NotNull(await service.ValidateAsync(fresh));
    }

    [Fact]
    public async Task Public_keys_are_cached_so_checking_links_costs_no_vault_call_per_request()
    {
        var service = Service(VaultKeys());
        var token = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(1));
        _vault.Requests.Clear();
        for (var i = 0; i < 5; i++) Assert.NotNull(await service.ValidateAsync(token));
        Assert.Empty(_vault.Requests);
        // A cold instance asks once for the version, then not again.
        var cold = Service(VaultKeys());
        for (var i = 0; i < 5; i++) Assert.NotNull(await cold.ValidateAsync(token));
        Assert.Equal([$"/keys/{Name}/{V1}"], _vault.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_forged_token_with_a_known_kid_a_tampered_payload_and_an_unknown_kid_are_refused()
    {
        var service = Service(VaultKeys());
        var token = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(1));
        var parts = token.Split('.');

        using var attacker = RSA.Create(2048);
        var input = parts[0] + "." + parts[1];
        var forged = input + "." + Base64Url.EncodeToString(attacker.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Null(await service.ValidateAsync(forged));

        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1].AsSpan()))!;
        payload["sub"] = "another-org";
        Assert.Null(await service.ValidateAsync(parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2]));

        var header = Header(token);
        header["kid"] = "33333333333333333333333333333333";
        Assert.Null(await service.ValidateAsync(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + parts[1] + "." + parts[2]));
        Assert.Null(await service.ValidateAsync("not.a.token"));
    }

    [Fact]
    public async Task An_hmac_token_made_with_the_formerly_exported_key_is_refused_whatever_its_kid()
    {
        var service = Service(VaultKeys());
        _ = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(1)); // V1 is known and cached
        // The sample key that local.settings.sample.json and azd's environment used to hold in clear.
        var secret = Convert.FromBase64String("bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=");
        foreach (var kid in new[] { "local-1", V1 })
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var hmac = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = "nap1325", Audience = "nap1325-api", IssuedAt = now, NotBefore = now, Expires = now.AddDays(1),
                Claims = new Dictionary<string, object> { ["sub"] = "vrede-nu", ["role"] = "signatory", ["cycle"] = "2026", ["contact"] = Claims.ContactHash, ["jti"] = Guid.NewGuid().ToString("N") },
                SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(secret) { KeyId = kid }, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
            });
            Assert.Null(await service.ValidateAsync(hmac));
        }
    }

    [Fact]
    public async Task The_local_key_is_created_on_first_use_outside_the_repository_user_only_and_reused()
    {
        using var first = LocalLinkKeys.OpenOrCreate(_keyFile);
        var token = await Service(first).IssueAsync(Claims, _time.GetUtcNow().AddDays(1));
        Assert.True(File.Exists(_keyFile));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_keyFile));
        using var again = LocalLinkKeys.OpenOrCreate(_keyFile);
        Assert.NotNull(await Service(again).ValidateAsync(token));
        using var other = LocalLinkKeys.OpenOrCreate(_keyFile + ".other");
        Assert.Null(await Service(other).ValidateAsync(token));
        File.Delete(_keyFile + ".other");
    }

    [Fact]
    public async Task Expiry_is_checked_against_the_time_provider_and_a_link_longer_than_the_maximum_is_refused()
    {
        using var keys = LocalLinkKeys.OpenOrCreate(_keyFile);
        var service = Service(keys);
        var token = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(1));
        _time.Advance(TimeSpan.FromHours(23));
        Assert.NotNull(await service.ValidateAsync(token));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await service.ValidateAsync(token));
        // Signed by the key but longer than the maximum (say, minted by an older build): refused anyway.
        Assert.Null(await service.ValidateAsync(await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(61))));
    }

    [Fact]
    public async Task A_link_without_a_cycle_or_contact_claim_is_refused()
    {
        using var keys = LocalLinkKeys.OpenOrCreate(_keyFile);
        var service = Service(keys);
        var valid = await service.IssueAsync(Claims, _time.GetUtcNow().AddDays(1));
        foreach (var claim in new[] { "cycle", "contact", "jti" })
        {
            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(valid.Split('.')[1].AsSpan()))!.AsObject();
            payload.Remove(claim);
            Assert.Null(await service.ValidateAsync(await Resign(keys, valid.Split('.')[0], payload)));
        }
    }

    private static async Task<string> Resign(ILinkKeys keys, string header, JsonObject payload)
    {
        var input = header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var kid = await keys.CurrentKeyIdAsync();
        return input + "." + Base64Url.EncodeToString(await keys.SignAsync(kid, SHA256.HashData(Encoding.ASCII.GetBytes(input))));
    }

    // --- lifetime rules (SignatoryLinks) ---

    private static readonly ReportingCycle Cycle = new("2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2026, 11, 1),
        new DateTime(2026, 12, 15, 17, 0, 0), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);

    private static readonly Signatory Org = new("vrede-nu", "Vrede Nu", SignatoryKind.CivilSocietyOrganisation, "nl", true,
        [new Contact("Eva", "eva@vrede.example.org", ContactRole.Primary), new Contact("Jan", "jan@vrede.example.org", ContactRole.Secondary)]);

    private async Task<NapPrincipal> IssueAndRead(SignatoryLinks links, TokenService service, DateTimeOffset deadline, TimeSpan? asked = null) =>
        (await service.ValidateAsync(await links.IssueAsync(Org, Org.Contacts[1], Cycle, deadline, asked)))!;

    [Fact]
    public async Task A_link_lives_until_the_deadline_plus_the_grace_period_and_a_shorter_requested_lifetime_wins()
    {
        using var keys = LocalLinkKeys.OpenOrCreate(_keyFile);
        var service = Service(keys);
        var links = new SignatoryLinks(service, null!, null!, _time);
        var link = await IssueAndRead(links, service, Cycle.DeadlineUtc);
        Assert.Equal(Cycle.DeadlineUtc.AddDays(14).ToUnixTimeSeconds(), link.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(ReminderLedger.RecipientHash("jan@vrede.example.org"), link.ContactHash);
        Assert.Equal(_time.GetUtcNow().AddDays(3).ToUnixTimeSeconds(), (await IssueAndRead(links, service, Cycle.DeadlineUtc, TimeSpan.FromDays(3))).ExpiresAt.ToUnixTimeSeconds());
        // Asking for more than the rules allow gets the rules.
        Assert.Equal(Cycle.DeadlineUtc.AddDays(14).ToUnixTimeSeconds(), (await IssueAndRead(links, service, Cycle.DeadlineUtc, TimeSpan.FromDays(365))).ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task An_extension_moves_the_end_and_the_maximum_caps_it_and_the_grace_period_is_a_setting()
    {
        using var keys = LocalLinkKeys.OpenOrCreate(_keyFile);
        var service = Service(keys, new TokenOptions { GraceDays = 3 });
        var links = new SignatoryLinks(service, null!, null!, _time);
        var extended = Cycle.DeadlineFor(new CycleSignatorySettings("2026", "vrede-nu", new DateTime(2027, 1, 10, 17, 0, 0), false, "x", _time.GetUtcNow()));
        Assert.Equal(extended.AddDays(3).ToUnixTimeSeconds(), (await IssueAndRead(links, service, extended)).ExpiresAt.ToUnixTimeSeconds());
        var farAway = new DateTimeOffset(2027, 12, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(_time.GetUtcNow().AddDays(60).ToUnixTimeSeconds(), (await IssueAndRead(links, service, farAway)).ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task No_link_is_issued_once_the_deadline_plus_grace_has_passed()
    {
        using var keys = LocalLinkKeys.OpenOrCreate(_keyFile);
        var links = new SignatoryLinks(Service(keys), null!, null!, _time);
        await Assert.ThrowsAsync<InvalidOperationException>(() => links.IssueAsync(Org, Org.Contacts[0], Cycle, _time.GetUtcNow().AddDays(-15)));
    }

    public void Dispose()
    {
        _vault.Dispose();
        foreach (var rsa in _versions.Values) rsa.Dispose();
        File.Delete(_keyFile);
    }
}
