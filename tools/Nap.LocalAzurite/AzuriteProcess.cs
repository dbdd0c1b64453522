using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nap.LocalAzurite;

/// <summary>
/// One Azurite process: in memory, on free loopback ports, started from the repo's pinned node_modules
/// (`npm ci` installs it) and killed when this process exits.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteProcess(Process process, string connectionString) => (_process, ConnectionString) = (process, connectionString);

    public string ConnectionString { get; }

    /// <summary>The node process that serves all three endpoints.</summary>
    public int Pid => _process.Id;

    /// <summary>
    /// Freezes storage as an outage would (SIGSTOP): connections are still accepted by the kernel but nothing answers,
    /// so clients hit their timeouts. For a test's own instance only: every user of this Azurite hangs meanwhile.
    /// </summary>
    public void Freeze() => Signal("STOP");

    /// <summary>Ends a <see cref="Freeze"/> (SIGCONT): Azurite answers the requests that waited, then new ones.</summary>
    public void Resume() => Signal("CONT");

    /// <summary>Stops this Azurite (its data was in memory).</summary>
    public void Dispose()
    {
        try
        {
            if (_process.HasExited) return;
            Signal("CONT"); // a frozen process would not die of SIGTERM until resumed
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void Signal(string signal)
    {
        if (_process.HasExited) throw new InvalidOperationException($"Azurite (pid {_process.Id}) has exited.");
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with exit code {kill.ExitCode}.");
    }

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
        return new AzuriteProcess(process, $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
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
