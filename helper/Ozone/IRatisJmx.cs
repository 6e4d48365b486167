namespace OmLifecycle.Ozone;

/// <summary>Reads the Ratis server bean from an OM's HTTP port: the structured "has it joined, who leads" signal.</summary>
public interface IRatisJmx
{
    Task<NodeProbe> ProbeAsync(string nodeId, string host, int httpPort, CancellationToken cancellationToken);
}
