using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Nap.Tests.Keys;

/// <summary>
/// WireMock.Net over HTTPS standing in for Key Vault's key operations (REST, api-version 7.5) with a real RSA key held
/// by the test: get key, sign (RS256), wrapkey and unwrapkey (RSA-OAEP-256) really compute, so a wrong payload fails.
/// Every request is recorded (path, query, Authorization) for assertions.
/// </summary>
public sealed class KeyVaultMock : IDisposable
{
    public const string KeyName = "data-kek";
    public const string Version = "0123456789abcdef0123456789abcdef";

    public KeyVaultMock()
    {
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509Certificate = SelfSignedCertificate() },
        });
        Rsa = RSA.Create(3072);
        Server.Given(Request.Create().WithPath($"/keys/{KeyName}", $"/keys/{KeyName}/{Version}").UsingGet())
            .RespondWith(Response.Create().WithCallback(r => Record(r, () => Json(200, new JsonObject
            {
                ["key"] = new JsonObject
                {
                    ["kid"] = KeyId, ["kty"] = "RSA", ["key_ops"] = new JsonArray("wrapKey", "unwrapKey", "sign"),
                    ["n"] = Base64Url.EncodeToString(Rsa.ExportParameters(false).Modulus), ["e"] = Base64Url.EncodeToString(Rsa.ExportParameters(false).Exponent),
                },
                ["attributes"] = new JsonObject { ["enabled"] = true },
            }))));
        foreach (var op in new[] { "wrapkey", "unwrapkey", "sign" })
        {
            Server.Given(Request.Create().WithPath($"/keys/{KeyName}/{Version}/{op}").UsingPost())
                .RespondWith(Response.Create().WithCallback(r => Record(r, () => Operate(op, JsonNode.Parse(r.Body!)!))));
        }
        Server.Given(Request.Create().WithPath("/keys/forbidden-key").UsingGet())
            .RespondWith(Response.Create().WithCallback(r => Record(r, () => Json(403, new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = "Forbidden", ["message"] = "Caller is not authorized to perform action on resource." },
            }))));
    }

    public WireMockServer Server { get; }
    public RSA Rsa { get; }
    public Uri VaultUri => new(Server.Url! + "/");
    public string KeyId => $"{Server.Url}/keys/{KeyName}/{Version}";
    public ConcurrentQueue<(string Method, string Path, string Query, string? Authorization, string? Body)> Requests { get; } = new();

    /// <summary>Key Vault is HTTPS only (and Azure.Core sends bearer tokens over HTTPS only): a localhost certificate.</summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12 so that Kestrel gets a certificate with a usable private key on every platform.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(cert.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    /// <summary>An HTTP transport that trusts WireMock's self-signed certificate (test only).</summary>
    public static Azure.Core.Pipeline.HttpClientTransport Transport() =>
        new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });

    private ResponseMessage Record(IRequestMessage r, Func<ResponseMessage> answer)
    {
        var auth = r.Headers is { } h && h.TryGetValue("Authorization", out var values) ? values.FirstOrDefault() : null;
        Requests.Enqueue((r.Method, r.AbsolutePath, r.RawQuery ?? "", auth, r.Body));
        return answer();
    }

    private ResponseMessage Operate(string op, JsonNode body)
    {
        var alg = (string)body["alg"]!;
        var value = Base64Url.DecodeFromChars(((string)body["value"]!).AsSpan());
        byte[] result;
        switch (op)
        {
            case "wrapkey" when alg == "RSA-OAEP-256": result = Rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256); break;
            case "unwrapkey" when alg == "RSA-OAEP-256":
                try { result = Rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA256); }
                catch (CryptographicException) { return Json(400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadParameter", ["message"] = "Bad ciphertext." } }); }
                break;
            case "sign" when alg == "RS256": result = Rsa.SignHash(value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); break;
            default: return Json(400, new JsonObject { ["error"] = new JsonObject { ["code"] = "BadParameter", ["message"] = $"Algorithm {alg} not supported for {op}." } });
        }
        return Json(200, new JsonObject { ["kid"] = KeyId, ["value"] = Base64Url.EncodeToString(result) });
    }

    private static ResponseMessage Json(int status, JsonObject body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
        BodyData = new WireMock.Util.BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = WireMock.Types.BodyType.String },
    };

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        Rsa.Dispose();
    }
}
