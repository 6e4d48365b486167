namespace ClusterTwin.Tests;

/// <summary>
/// A temporary work directory the twin's pods can enter: they run as their securityContext's user
/// (uid 1000 for Ozone), and Directory.CreateTempSubdirectory makes a directory only its owner can.
/// </summary>
public static class TwinWorkDir
{
    public static string Create(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        return dir;
    }
}
