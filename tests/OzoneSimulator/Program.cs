using System.Diagnostics;
using System.Text.Json;
using OzoneSimulator;

// The fake `ozone` launcher: dispatches like bin/ozone, logs each call to calls.jsonl in the state dir.
var watch = Stopwatch.StartNew();
var code = 0;
SimState? state = null;
try
{
    state = SimState.FromEnvironment();
    if (args.Length > 0) Launcher.VerifyDaemonDirs(args[0]);
    // Tests of the launcher's checks alone: the daemons run until stopped, so stop right after the checks.
    if (Environment.GetEnvironmentVariable("OZONE_SIM_LAUNCHER_ONLY") == "1") return 0;
    // A long-running `ozone om` is logged when it starts too, so that callers can count it while it runs.
    if (args is ["om", ..] && !args.Contains("--init"))
        state.AppendCall(JsonSerializer.Serialize(new { args, node = Environment.GetEnvironmentVariable("POD_NAME"), started = true, at = DateTimeOffset.UtcNow }));
    code = args switch
    {
        ["om", .. var rest] => await new OmCommand(state, SimConfig.FromEnvironment(), OzoneVersion.FromEnvironment()).RunAsync(rest),
        ["admin", .. var rest] => await new AdminCommand(state, OzoneVersion.FromEnvironment()).RunAsync(rest),
        ["sh", .. var rest] => new KeyCommand(state).Run(rest),
        ["scm", .. var rest] => await new ScmCommand(state, SimConfig.FromEnvironment()).RunAsync(rest),
        [var daemon, .. var rest] when ServiceDaemonCommand.Names.Contains(daemon) => await new ServiceDaemonCommand(state, SimConfig.FromEnvironment(), daemon).RunAsync(rest),
        ["version"] => Version(),
        // Anything else fails loudly, so that a typo in the chart's commands is caught.
        _ => throw new SimExit(2, $"Unknown command: 'ozone {string.Join(' ', args)}'\nUsage: ozone [om|scm|datanode|s3g|recon|admin|sh|version] …"),
    };
}
catch (SimExit e)
{
    Console.Error.WriteLine(e.Message);
    code = e.Code;
}
state?.AppendCall(JsonSerializer.Serialize(new
{
    args,
    node = Environment.GetEnvironmentVariable("POD_NAME"),
    exitCode = code,
    durationMs = watch.ElapsedMilliseconds,
    at = DateTimeOffset.UtcNow,
}));
return code;

static int Version()
{
    Console.Out.WriteLine($"Ozone simulator (behaves as Apache Ozone {OzoneVersion.FromEnvironment()} for om-lifecycle's tests)");
    return 0;
}
