namespace OmLifecycle.Volume;

/// <summary>
/// A note on the volume that this node ran `ozone om --bootstrap` and was not confirmed yet. Without
/// it, a joiner killed while catching up would look like a member at its next start (the leader's
/// JMX Followers lists a staging peer too) and start as one; with it, the node bootstraps again
/// until the leader's peer map (`ozone admin om roles`) lists it. Removed when the marker is written.
/// </summary>
public static class BootstrapStarted
{
    public const string FileName = "om-lifecycle.bootstrapping";

    public static string PathIn(string metadataDir) => Path.Combine(metadataDir, FileName);

    public static bool IsOn(string metadataDir) => File.Exists(PathIn(metadataDir));

    public static void Note(string metadataDir, string nodeId) => AtomicFile.Write(PathIn(metadataDir), nodeId + "\n");

    public static void Clear(string metadataDir) => File.Delete(PathIn(metadataDir));
}
