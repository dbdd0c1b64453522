using System.Text;
using Nap.Api;
using Nap.Security;

namespace Nap.Tests.Security;

/// <summary>X-MS-CLIENT-PRINCIPAL as App Service Authentication and Static Web Apps inject it, and what is refused.</summary>
public sealed class ClientPrincipalTests
{
    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    // The documented App Service shape for a Microsoft Entra sign-in, with the claims as Easy Auth maps them
    // (long URI types for some, the token's short names for others, roles as "roles").
    private const string EntraPrincipal = """
        {
          "auth_typ": "aad",
          "claims": [
            { "typ": "aud", "val": "3a7e1c52-0000-4000-8000-000000000001" },
            { "typ": "iss", "val": "https://login.microsoftonline.com/72f988bf-0000-4000-8000-000000000002/v2.0" },
            { "typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "val": "anna.devries@minbuza.example.nl" },
            { "typ": "name", "val": "Anna de Vries" },
            { "typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": "b1f0c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
            { "typ": "preferred_username", "val": "anna.devries@minbuza.example.nl" },
            { "typ": "roles", "val": "Nap.Coordinator" },
            { "typ": "roles", "val": "Nap.Confidential" },
            { "typ": "http://schemas.microsoft.com/identity/claims/tenantid", "val": "72f988bf-0000-4000-8000-000000000002" },
            { "typ": "ver", "val": "2.0" }
          ],
          "name_typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
          "role_typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
        }
        """;

    [Fact]
    public void The_entra_shape_gives_object_id_name_and_roles()
    {
        var staff = ClientPrincipal.Parse(B64(EntraPrincipal));
        Assert.Equal("b1f0c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d", staff.ObjectId);
        Assert.Equal("Anna de Vries", staff.Name);
        Assert.Equal(["Nap.Confidential", "Nap.Coordinator"], staff.Roles.Order(StringComparer.Ordinal));
        Assert.Equal("aad", staff.IdentityProvider);
        Assert.True(staff.Has(StaffRoles.Reader), "a coordinator may do what a reader may");
        Assert.False(staff.Has(StaffRoles.Admin));
    }

    [Fact]
    public void The_short_oid_claim_and_roles_under_role_typ_are_read_too()
    {
        var staff = ClientPrincipal.Parse(B64("""
            {"auth_typ":"aad","claims":[{"typ":"oid","val":"0f0e0d0c-0000-4000-8000-00000000000a"},
              {"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"Nap.Reader"},
              {"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name","val":"Bert"}],
             "name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
             "role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}
            """));
        Assert.Equal("0f0e0d0c-0000-4000-8000-00000000000a", staff.ObjectId);
        Assert.Equal("Bert", staff.Name);
        Assert.Equal(["Nap.Reader"], staff.Roles);
    }

    [Fact]
    public void The_static_web_apps_shape_gives_user_id_details_and_roles_without_the_built_in_ones()
    {
        var staff = ClientPrincipal.Parse(B64("""
            {"identityProvider":"aad","userId":"d75b260a64504067bfc5b2905e3b8182","userDetails":"anna.devries@minbuza.example.nl",
             "userRoles":["anonymous","authenticated","Nap.Admin"]}
            """));
        Assert.Equal("d75b260a64504067bfc5b2905e3b8182", staff.ObjectId);
        Assert.Equal(["Nap.Admin"], staff.Roles);
        Assert.True(staff.Has(StaffRoles.Admin));
        Assert.False(staff.Has(StaffRoles.Reader), "an administrator is not a reader unless assigned the role");
    }

    [Fact]
    public void The_encoder_the_dev_host_uses_round_trips()
    {
        var staff = ClientPrincipal.Parse(ClientPrincipal.Encode("oid-1", "Carla", [StaffRoles.Reader, StaffRoles.Admin]));
        Assert.Equal(("oid-1", "Carla"), (staff.ObjectId, staff.Name));
        Assert.Equal([StaffRoles.Admin, StaffRoles.Reader], staff.Roles.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "not base64", "%%%not-base64%%%" },
        { "not JSON", B64("hello") },
        { "a JSON array", B64("[]") },
        { "claims not an array", B64("""{"auth_typ":"aad","claims":{}}""") },
        { "a claim value that is a number", B64("""{"claims":[{"typ":"oid","val":5}]}""") },
        { "a claim without a type", B64("""{"claims":[{"val":"x"}]}""") },
        { "no object id", B64("""{"auth_typ":"aad","claims":[{"typ":"name","val":"Anna"},{"typ":"roles","val":"Nap.Admin"}]}""") },
        { "empty object id", B64("""{"claims":[{"typ":"oid","val":" "}]}""") },
        { "too deep", B64(string.Concat(Enumerable.Repeat("""{"claims":""", 50)) + "[]" + new string('}', 50)) },
        { "invalid UTF-8", Convert.ToBase64String([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
        { "SWA roles not strings", B64("""{"userId":"u","userRoles":[1]}""") },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_headers_are_refused_with_401(string why, string header)
    {
        var ex = Assert.Throws<ProblemException>(() => ClientPrincipal.Parse(header));
        Assert.True(ex.Problem.Status == 401, why);
    }

    [Fact]
    public void An_oversized_header_is_refused_before_it_is_decoded()
    {
        var claims = string.Join(',', Enumerable.Range(0, 2000).Select(i => $$"""{"typ":"groups","val":"group-{{i:D6}}"}"""));
        var header = B64($$"""{"auth_typ":"aad","claims":[{"typ":"oid","val":"x"},{{claims}}]}""");
        Assert.True(header.Length > ClientPrincipal.MaxHeaderLength);
        Assert.Equal(401, Assert.Throws<ProblemException>(() => ClientPrincipal.Parse(header)).Problem.Status);
    }

    [Theory]
    [InlineData(null, "app.example:443", true)]
    [InlineData("https://func-nap.azurewebsites.net", "func-nap.azurewebsites.net", true)]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000", true)]
    [InlineData("https://nap.example.nl", "func-nap.azurewebsites.net", true)] // the configured public base URL
    [InlineData("http://nap.example.nl", "func-nap.azurewebsites.net", false)] // same host, other scheme
    [InlineData("https://evil.example", "func-nap.azurewebsites.net", false)]
    [InlineData("null", "func-nap.azurewebsites.net", false)]
    [InlineData("https://func-nap.azurewebsites.net.evil.example", "func-nap.azurewebsites.net", false)]
    public void Same_origin_is_the_request_host_or_the_public_base_url(string? origin, string host, bool same) =>
        Assert.Equal(same, StaffSignIn.IsSameOrigin(origin, host, "https://nap.example.nl"));
}
