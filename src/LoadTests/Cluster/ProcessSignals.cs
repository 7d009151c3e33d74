using System.Runtime.InteropServices;

namespace PaySim.LoadTests.Cluster;

/// <summary>SIGSTOP and SIGCONT for a child process (a frozen wallet instance keeps its sockets open and answers nothing).</summary>
internal static partial class ProcessSignals
{
    public static bool Supported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Stops the process where it stands: no signal handler runs, nothing drains.</summary>
    public static void Stop(int pid) => Send(pid, OperatingSystem.IsLinux() ? 19 : 17);

    public static void Continue(int pid) => Send(pid, OperatingSystem.IsLinux() ? 18 : 19);

    private static void Send(int pid, int signal)
    {
        if (!Supported)
        {
            throw new PlatformNotSupportedException("SIGSTOP/SIGCONT need Linux, macOS or FreeBSD.");
        }

        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
