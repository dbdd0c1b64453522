using Nap.Security;

namespace Nap.Tests.Infrastructure;

/// <summary>Staff requests in tests carry the X-MS-CLIENT-PRINCIPAL header Easy Auth would inject.</summary>
public static class StaffPrincipals
{
    /// <summary>A fixed object id for the test staff member; names are never stored, so tests find rows by this.</summary>
    public const string ObjectId = "7d3f0c9e-3b1a-4d55-9a7e-0c1d2e3f4a5b";
    public const string Name = "Test Staff Member";

    public static string Header(params string[] roles) => ClientPrincipal.Encode(ObjectId, Name, roles);

    public static string Header(string objectId, string name, params string[] roles) => ClientPrincipal.Encode(objectId, name, roles);

    public static StaffMember Member(params string[] roles) => new(ObjectId, Name, roles.ToHashSet(StringComparer.Ordinal), "aad");

    public static HttpClient WithStaff(this HttpClient client, params string[] roles)
    {
        client.DefaultRequestHeaders.Add(ClientPrincipal.HeaderName, Header(roles));
        return client;
    }
}
