using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nap.Benchmarks.Reports;

/// <summary>An in-memory Azurite from the repository's pinned node_modules, on free ports, stopped with this process.</summary>
public sealed class LocalAzurite : IDisposable
{
    private readonly Process _process;

    private LocalAzurite(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static LocalAzurite Start()
    {
        var root = RepoRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) throw new InvalidOperationException($"Azurite is not installed: run `npm ci` in {root}, or pass --storage <connection string>.");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var psi = new ProcessStartInfo(azurite,
            $"--inMemoryPersistence --skipApiVersionCheck --loose --silent --blobHost 127.0.0.1 --blobPort {blob} --queueHost 127.0.0.1 --queuePort {queue} --tableHost 127.0.0.1 --tablePort {table}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { blob, queue, table })
            while (!Listening(port))
            {
                if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}.");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Azurite did not open its ports within 30 s.");
                Thread.Sleep(100);
            }
        const string account = "devstoreaccount1";
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        return new LocalAzurite(process,
            $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={key};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{account};QueueEndpoint=http://127.0.0.1:{queue}/{account};TableEndpoint=http://127.0.0.1:{table}/{account};");
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }

    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NapFunctions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (NapFunctions.sln).");
    }

    private static int FreePort()
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
