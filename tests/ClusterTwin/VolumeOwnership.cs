using System.Runtime.InteropServices;

namespace ClusterTwin;

/// <summary>
/// What the kubelet does to a volume for a pod with an fsGroup (Kubernetes v1.35
/// pkg/volume/volume_linux.go SetVolumeOwnership): every file and directory gets the fsGroup as its
/// group and group read-write, directories also group execute and setgid, so that files created
/// later inherit the group. With fsGroupChangePolicy OnRootMismatch it skips a volume whose root
/// already has that group and those bits. A new emptyDir is mode 0777 (pkg/volume/emptydir); any
/// other volume starts as a fresh filesystem's root does, root-owned 0755, writable by nobody else
/// until an fsGroup makes it so.
/// </summary>
public static class VolumeOwnership
{
    private const UnixFileMode GroupReadWrite = UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode DirectoryBits = GroupReadWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup;

    public static void Apply(string root, long fsGroup, string? changePolicy)
    {
        if (changePolicy == "OnRootMismatch" && RootMatches(root, fsGroup)) return;
        Change(root, fsGroup, isDirectory: true);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (entry.LinkTarget is not null) continue;
            Change(entry.FullName, fsGroup, entry is DirectoryInfo);
        }
    }

    private static bool RootMatches(string root, long fsGroup) =>
        Stat(root) is { } gid && gid == fsGroup && (File.GetUnixFileMode(root) & DirectoryBits) == DirectoryBits;

    private static void Change(string path, long fsGroup, bool isDirectory)
    {
        _ = Chown(path, -1, (int)fsGroup);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | (isDirectory ? DirectoryBits : GroupReadWrite));
    }

    /// <summary>The group id of a path (stat's st_gid), through `stat -c %g` to stay clear of the libc struct layout.</summary>
    private static long? Stat(string path)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%g", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return long.TryParse(text, out var gid) ? gid : null;
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int uid, int gid);
}
