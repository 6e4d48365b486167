namespace OmLifecycle.Volume;

/// <summary>Placeholder: the wipe of an OM's metadata lands with the hook commands.</summary>
public static class VolumeWiper
{
    /// <summary>Removes the OM metadata under <paramref name="metadataDir"/>, marker last; true when anything was removed.</summary>
    public static bool Wipe(string metadataDir) => throw new NotImplementedException(metadataDir);
}
