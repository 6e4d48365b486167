namespace OzoneSimulator;

/// <summary>
/// `ozone sh key put PATH FILE` and `ozone sh key cat PATH`: enough of the data path to prove no
/// data is lost. A put is committed to every running voter's key table (replication); a cat reads
/// the leader's.
/// </summary>
public sealed class KeyCommand(SimState state)
{
    public int Run(string[] args)
    {
        switch (args)
        {
            case ["key", "put", var path, var file]:
                var value = File.ReadAllText(file);
                var error = state.Update(r =>
                {
                    if (r.Leader is null) return "OM_NOT_LEADER: no leader";
                    foreach (var voter in r.Voters.Where(r.Running.ContainsKey))
                    {
                        var dir = r.Running[voter].MetadataDir;
                        var keys = OmData.ReadKeys(dir);
                        keys[path] = value;
                        OmData.WriteKeys(dir, keys);
                    }
                    return null;
                });
                if (error is not null) throw new SimExit(255, error);
                return 0;
            case ["key", "cat", var path]:
                var found = state.Update(r => r.Leader is { } l && r.Running.TryGetValue(l, out var n)
                    ? (OmData.ReadKeys(n.MetadataDir).TryGetValue(path, out var v) ? v : null)
                    : throw new SimExit(255, "OM_NOT_LEADER: no leader"));
                if (found is null) throw new SimExit(255, $"KEY_NOT_FOUND Key not found {path}");
                Console.Out.Write(found);
                return 0;
            default:
                throw new SimExit(2, "Usage: ozone sh key put <path> <file> | ozone sh key cat <path>");
        }
    }
}
