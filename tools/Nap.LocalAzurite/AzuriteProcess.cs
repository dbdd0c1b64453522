using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nap.LocalAzurite;

/// <summary>
/// One Azurite process: in memory, on free loopback ports, started from the repo's pinned node_modules
/// (`npm ci` installs it) and killed when this process exits.
/// </summary>
public sealed class AzuriteProcess
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzuriteProcess(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static AzuriteProcess Start(string? repoRoot = null, bool inMemory = true)
    {
        var root = repoRoot ?? RepoRoot.Path;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
            throw new InvalidOperationException($"Azurite is not installed: run `npm ci` in {root} (the README's test command does this).");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var location = inMemory ? "--inMemoryPersistence" : $"--location {Path.Combine(Path.GetTempPath(), "nap-azurite-" + Guid.NewGuid().ToString("N"))}";
        var process = Process.Start(new ProcessStartInfo(azurite,
            $"{location} --skipApiVersionCheck --loose --silent --blobHost 127.0.0.1 --blobPort {blob} --queueHost 127.0.0.1 --queuePort {queue} --tableHost 127.0.0.1 --tablePort {table}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        }) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        };
        // Generous: on a loaded 2-core CI machine node takes a while to load Azurite the first time.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (var port in new[] { blob, queue, table })
            while (!Listening(port))
            {
                if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Azurite did not open its ports within 120 s.");
                Thread.Sleep(100);
            }
        return new AzuriteProcess($"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public static class RepoRoot
{
    public static readonly string Path = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NapFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (NapFunctions.sln) above " + AppContext.BaseDirectory);
    }
}
