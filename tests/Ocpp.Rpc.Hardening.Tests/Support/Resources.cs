using System.Diagnostics;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>Process resources for leak checks.</summary>
internal static class Resources
{
    /// <summary>Open handles: file descriptors on Linux (sockets included), the handle count elsewhere.</summary>
    public static int OpenHandles()
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.GetFiles("/proc/self/fd").Length;
        }

        using var process = Process.GetCurrentProcess();
        return process.HandleCount;
    }

    /// <summary>Managed heap after full, compacting collections with finalizers run.</summary>
    public static long ManagedMemory()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>How many targets are still alive once at most <paramref name="atMost"/> are, or the time is up (collecting as it waits).</summary>
    public static async Task<int> CountAliveAsync(IReadOnlyCollection<WeakReference> references, TimeSpan within, int atMost = 0)
    {
        DateTime end = DateTime.UtcNow + within;
        while (true)
        {
            ManagedMemory();
            int alive = references.Count(r => r.IsAlive);
            if (alive <= atMost || DateTime.UtcNow > end)
            {
                return alive;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the value falls to at most <paramref name="limit"/>; returns the last value seen.</summary>
    public static async Task<long> SettleAsync(Func<long> measure, long limit, TimeSpan within)
    {
        DateTime end = DateTime.UtcNow + within;
        while (true)
        {
            long value = measure();
            if (value <= limit || DateTime.UtcNow > end)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }
}
