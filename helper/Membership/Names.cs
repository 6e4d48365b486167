using System.Text.RegularExpressions;

namespace OmLifecycle.Membership;

/// <summary>
/// The shapes node ids, hosts and service ids may take. They are passed to Ozone's CLI as separate
/// arguments, never through a shell, but they are still checked so that nothing odd reaches Ozone.
/// </summary>
public static partial class Names
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex HostName();

    public static bool IsLabel(string value) => value.Length <= 63 && Dns1123Label().IsMatch(value);

    public static bool IsHost(string value) => value.Length <= 253 && HostName().IsMatch(value) && !value.Contains("..", StringComparison.Ordinal);

    public static bool IsNodeId(string value) => IsLabel(value);
}
