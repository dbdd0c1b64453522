using System.Security.Cryptography;

namespace Nap.Keys;

/// <summary>A local RSA private key in a PEM file outside the repository, created on first use, readable by the user only.</summary>
public static class LocalKeyFile
{
    /// <summary>The default key file: <c>{LocalApplicationData}/nap1325/keys/{name}.pem</c>.</summary>
    public static string DefaultPath(string name) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "nap1325", "keys", name + ".pem");

    public static RSA OpenOrCreateRsa(string path, int keySize)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        rsa.KeySize = keySize;
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        // Created new (never overwriting a key another process just wrote), private to the user where the OS allows.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var file = new StreamWriter(new FileStream(path, options));
            file.Write(pem);
        }
        catch (IOException) when (File.Exists(path))
        {
            rsa.Dispose();
            return OpenOrCreateRsa(path, keySize);
        }
        return rsa;
    }
}
