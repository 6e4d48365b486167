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
    // A long-running `ozone om` is logged when it starts too, so that callers can count it while it runs.
    if (args is ["om", ..] && !args.Contains("--init"))
        state.AppendCall(JsonSerializer.Serialize(new { args, node = Environment.GetEnvironmentVariable("POD_NAME"), started = true, at = DateTimeOffset.UtcNow }));
    code = args switch
    {
        ["om", .. var rest] => await new OmCommand(state, SimConfig.FromEnvironment()).RunAsync(rest),
        ["admin", .. var rest] => await new AdminCommand(state).RunAsync(rest),
        ["sh", .. var rest] => new KeyCommand(state).Run(rest),
        ["version"] => Version(),
        // Past the launcher's checks, the daemons other than om are not simulated.
        [var daemon, ..] when Launcher.Daemons.Contains(daemon) => throw new SimExit(2, $"ozone {daemon}: not simulated (only om is); the launcher's checks passed"),
        _ => throw new SimExit(2, "Usage: ozone [om|admin|sh|version] …"),
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
    Console.Out.WriteLine("Ozone simulator (behaves as Apache Ozone 2.1.0 for om-lifecycle's tests)");
    return 0;
}
