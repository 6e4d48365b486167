namespace OmLifecycle.Ozone;

/// <summary>
/// The one console line that proves a bootstrap COMMITTED (tests/fixtures/ozone/console).
/// OzoneManager#bootstrap logs it only after the leader's SetConfiguration succeeded, so it is the
/// only signal a joiner has that it is a voter of the committed configuration: the leader's JMX
/// Followers also lists a peer that is still staging (catching up), and the leader's peer map can
/// list a node read from its own ozone-site.xml before it joined.
/// </summary>
public static class BootstrapCommitLine
{
    private const string Prefix = "Successfully bootstrapped OM ";
    private const string Suffix = " and joined the Ratis group";

    /// <summary>Whether <paramref name="line"/> is Ozone saying that <paramref name="nodeId"/> itself joined (never another id that shares its prefix).</summary>
    public static bool ConfirmsJoin(string line, string nodeId)
        => line.Contains(Prefix + nodeId + Suffix, StringComparison.Ordinal);
}
