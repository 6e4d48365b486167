namespace ClusterTwin;

/// <summary>The per-step table `make demo` prints.</summary>
public static class Table
{
    public const string Header =
        "  #  step                                              members  leader        bootstrapped            decommissioned          wiped                   restarts  leader-chg  ozone-calls  time(s)  result";

    public static string Row(StepReport r) =>
        $"{r.Index,3}  {Trim(r.Name, 48),-48}  {r.Members.Count,7}  {Short(r.Leader),-12}  {Trim(Ids(r.Bootstrapped), 22),-22}  {Trim(Ids(r.Decommissioned), 22),-22}  {Trim(Ids(r.Wiped), 22),-22}  {r.OmRestarts,8}  {r.LeaderChanges,10}  {r.OzoneCalls,11}  {r.Seconds,7:0.0}  {(r.Passed ? "ok" : "FAILED")}";

    private static string Ids(IEnumerable<string> ids) => ids.Any() ? string.Join(",", ids.Select(Short)) : "-";

    private static string Short(string? id) => id is null ? "none" : id.Contains("-om-") ? "om-" + id.Split('-').Last() : id;

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
