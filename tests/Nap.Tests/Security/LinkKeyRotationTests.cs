using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Nap.Keys;
using Nap.Reminders;
using Nap.Security;
using Nap.Tests.Hosting;
using Nap.Tests.Keys;
using Nap.Tests.Reminders;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Nap.Tests.Security;

/// <summary>
/// The link key's rotation (nap-admin keys rotate [--dry-run]) against WireMock standing in for Key Vault: four
/// versions (one disabled, one whose links have all expired, one still validating, the current one), listed over two
/// pages. The dry run only reads; the rotation creates one version, and links signed before it keep working.
/// </summary>
public sealed class LinkKeyRotationTests : IDisposable
{
    private const string Name = "link-signing";
    private const string V0 = "00000000000000000000000000000000";
    private const string V1 = "11111111111111111111111111111111";
    private const string V2 = "22222222222222222222222222222222";
    private const string V3 = "33333333333333333333333333333333";
    private const string V4 = "44444444444444444444444444444444";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly KeyVaultMock _vault = new();
    private readonly Dictionary<string, (RSA Key, bool Enabled, DateTimeOffset Created)> _versions = new()
    {
        [V0] = (RSA.Create(2048), false, Now.AddDays(-300)),
        [V1] = (RSA.Create(2048), true, Now.AddDays(-200)),
        [V2] = (RSA.Create(2048), true, Now.AddDays(-90)),
        [V3] = (RSA.Create(2048), true, Now.AddDays(-20)),
    };
    private string _current = V3;
    private readonly TokenOptions _options = new();

    public LinkKeyRotationTests()
    {
        var versions = $"/keys/{Name}/versions";
        _vault.Server.Given(Request.Create().WithPath(versions).UsingGet()).AtPriority(1).RespondWith(Response.Create().WithCallback(r =>
        {
            Record(r);
            // Two pages, as Key Vault pages long lists: the second is reached through nextLink.
            var second = (r.RawQuery ?? "").Contains("skiptoken", StringComparison.Ordinal);
            var page = _versions.OrderBy(v => v.Key, StringComparer.Ordinal).Where((_, i) => second ? i >= 2 : i < 2).Select(v => (JsonNode)new JsonObject
            {
                ["kid"] = $"{_vault.Server.Url}/keys/{Name}/{v.Key}",
                ["attributes"] = new JsonObject { ["enabled"] = v.Value.Enabled, ["created"] = v.Value.Created.ToUnixTimeSeconds() },
            }).ToArray();
            return Json(200, new JsonObject
            {
                ["value"] = new JsonArray(page),
                ["nextLink"] = second ? null : $"{_vault.Server.Url}{versions}?api-version=7.5&$skiptoken=page2",
            });
        }));
        _vault.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^/keys/{Name}(/[0-9a-f]{{32}})?$")).UsingGet()).AtPriority(2)
            .RespondWith(Response.Create().WithCallback(r =>
            {
                Record(r);
                var version = r.AbsolutePath.Split('/') is { Length: 4 } p ? p[3] : _current;
                return _versions.ContainsKey(version) ? Json(200, Bundle(version)) : Json(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "KeyNotFound" } });
            }));
        _vault.Server.Given(Request.Create().WithPath($"/keys/{Name}/rotate").UsingPost()).AtPriority(1).RespondWith(Response.Create().WithCallback(r =>
        {
            Record(r);
            _versions[V4] = (RSA.Create(2048), true, _time.GetUtcNow());
            _current = V4;
            return Json(200, Bundle(V4));
        }));
        _vault.Server.Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher($"^/keys/{Name}/[0-9a-f]{{32}}/sign$")).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithCallback(r =>
            {
                Record(r);
                var version = r.AbsolutePath.Split('/')[3];
                var digest = Base64Url.DecodeFromChars(((string)JsonNode.Parse(r.Body!)!["value"]!).AsSpan());
                var signature = _versions[version].Key.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return Json(200, new JsonObject { ["kid"] = $"{_vault.Server.Url}/keys/{Name}/{version}", ["value"] = Base64Url.EncodeToString(signature) });
            }));
    }

    public void Dispose()
    {
        _vault.Dispose();
        foreach (var v in _versions.Values) v.Key.Dispose();
    }

    private void Record(WireMock.IRequestMessage r) => _vault.Requests.Enqueue((r.Method, r.AbsolutePath, r.RawQuery ?? "", null, r.Body));

    private JsonObject Bundle(string version)
    {
        var pub = _versions[version].Key.ExportParameters(false);
        return new JsonObject
        {
            ["key"] = new JsonObject { ["kid"] = $"{_vault.Server.Url}/keys/{Name}/{version}", ["kty"] = "RSA", ["key_ops"] = new JsonArray("sign", "verify"),
                ["n"] = Base64Url.EncodeToString(pub.Modulus), ["e"] = Base64Url.EncodeToString(pub.Exponent) },
            ["attributes"] = new JsonObject { ["enabled"] = _versions[version].Enabled, ["created"] = _versions[version].Created.ToUnixTimeSeconds() },
        };
    }

    private static WireMock.ResponseMessage Json(int status, JsonObject body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new WireMock.Util.BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = WireMock.Types.BodyType.String },
    };

    private KeyVaultKeysClient Client() =>
        new(_vault.VaultUri, new FakeTokenCredential("t"), new KeyVaultKeysClientOptions { Transport = KeyVaultMock.Transport() });

    private LinkKeyRotation Rotation() => new(Client(), _options, _time);

    private static readonly LinkClaims Claims = new("vrede-nu", "2026", ReminderLedger.RecipientHash("eva@vrede.example.org"));

    private static readonly TimeSpan LongestLink = TimeSpan.FromDays(60) + KeyVaultLinkKeys.CurrentKeyRefresh;

    [Fact]
    public async Task The_dry_run_reads_only_and_says_which_kid_signs_and_how_long_each_old_version_must_stay_enabled()
    {
        var plan = await Rotation().PlanAsync();

        // Nothing changed: only GETs (the key, two pages of versions), no rotate, no sign.
        Assert.All(_vault.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Contains(_vault.Requests, r => r.Query.Contains("skiptoken", StringComparison.Ordinal));
        Assert.Equal(V3, _current);
        Assert.Equal(4, _versions.Count);

        Assert.Null(plan.NewVersion);
        Assert.Equal(V3, plan.SigningVersion);
        Assert.Equal(Now + KeyVaultLinkKeys.CurrentKeyRefresh, plan.NewVersionSignsBy);
        Assert.Equal(Now + LongestLink, plan.PreviousKeepEnabledUntil);
        Assert.Equal([V3, V2, V1, V0], plan.Versions.Select(v => v.Version));
        var byVersion = plan.Versions.ToDictionary(v => v.Version);
        Assert.True(byVersion[V3].Signing);
        Assert.Equal(Now.AddDays(-20) + LongestLink, byVersion[V2].KeepEnabledUntil); // stopped signing when V3 was created
        Assert.Equal(Now.AddDays(-90) + LongestLink, byVersion[V1].KeepEnabledUntil); // in the past: its links have all expired
        Assert.Null(byVersion[V0].KeepEnabledUntil);

        var text = string.Join('\n', LinkKeyRotation.Describe(plan));
        Assert.StartsWith($"Dry run: nothing is changed. Key {Name} in localhost; new links are signed now by version (kid) {V3}.", text, StringComparison.Ordinal);
        Assert.Contains($"az keyvault key rotate --vault-name localhost --name {Name}", text, StringComparison.Ordinal);
        Assert.Contains("within 10 minutes, by 1 December 2026 at 13:10 (Amsterdam time)", text, StringComparison.Ordinal);
        Assert.Contains($"keep {V3} enabled until 30 January 2027 at 13:10 (Amsterdam time)", text, StringComparison.Ordinal);
        Assert.Contains($"--version {V3} --enabled false", text, StringComparison.Ordinal);
        Assert.Contains($"  {V3}  created 11 November 2026 at 13:00 (Amsterdam time)  signs new links; after a rotation: validates only", text, StringComparison.Ordinal);
        Assert.Contains($"  {V2}  created 2 September 2026 at 14:00 (Amsterdam time)  validates only; keep enabled until 10 January 2027 at 13:10 (Amsterdam time)", text, StringComparison.Ordinal);
        Assert.Contains($"  {V1}  created 15 May 2026 at 14:00 (Amsterdam time)  validates only; every link it signed has expired: may be disabled now", text, StringComparison.Ordinal);
        Assert.Contains($"  {V0}  created 4 February 2026 at 13:00 (Amsterdam time)  disabled: links it signed are refused", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rotation_creates_one_version_that_signs_new_links_while_links_signed_before_stay_valid()
    {
        var keys = new KeyVaultLinkKeys(Client(), Name, _time);
        var tokens = new TokenService(_options, keys, _time);
        var before = await tokens.IssueAsync(Claims, Now.AddDays(30));

        var plan = await Rotation().RotateAsync();

        Assert.Single(_vault.Requests, r => r.Method == "POST" && r.Path == $"/keys/{Name}/rotate");
        Assert.Equal((V4, V3), (plan.NewVersion, plan.SigningVersion));
        Assert.True(plan.Versions.Single(v => v.Version == V4).Signing);
        Assert.Equal(Now + LongestLink, plan.Versions.Single(v => v.Version == V3).KeepEnabledUntil);
        var text = string.Join('\n', LinkKeyRotation.Describe(plan));
        Assert.StartsWith($"Rotated key {Name} in localhost: new version (kid) {V4}; version {V3} signed until now.", text, StringComparison.Ordinal);

        // Instances pick the new version up within the refresh time; the link signed by V3 still validates.
        _time.Advance(KeyVaultLinkKeys.CurrentKeyRefresh + TimeSpan.FromSeconds(1));
        var after = await tokens.IssueAsync(Claims, Now.AddDays(30));
        Assert.Equal(V4, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(after).Kid);
        Assert.Equal(V3, (await tokens.ValidateAsync(before))!.KeyId);
        Assert.Equal(V4, (await tokens.ValidateAsync(after))!.KeyId);
    }

    [Fact]
    public async Task Without_a_vault_nap_admin_changes_nothing_and_says_so()
    {
        var dryRun = await AdminCliTests.Admin("keys", "rotate", "--dry-run");
        var real = await AdminCliTests.Admin("keys", "rotate");

        Assert.Equal(0, dryRun.Code);
        Assert.Contains("No Key Vault (Keys__VaultUri is empty)", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains("nothing is changed", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal(1, real.Code);
    }
}
