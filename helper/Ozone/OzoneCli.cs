using System.Diagnostics;
using System.Text.Json;
using OmLifecycle.Logging;
using OmLifecycle.Process;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OmLifecycle.Ozone;

/// <summary>
/// The single adapter for Ozone's admin CLI. It caps the client's failover retries (otherwise a
/// ring without a leader keeps the CLI busy for 500 × 2 s), bounds every call with a deadline and
/// logs each call as one JSON line.
/// </summary>
public sealed class OzoneCli : IOzoneAdmin
{
    public const int FailoverAttempts = 3;

    private readonly string ozoneBin;
    private readonly string serviceId;
    private readonly IProcessRunner runner;
    private readonly JsonLog log;
    private readonly ResiliencePipeline<ProcessResult> readPipeline;
    private readonly ResiliencePipeline<ProcessResult> changePipeline;

    public OzoneCli(string ozoneBin, string serviceId, TimeSpan callTimeout, IProcessRunner runner, JsonLog log, bool retryReads = true)
    {
        this.ozoneBin = ozoneBin;
        this.serviceId = serviceId;
        this.runner = runner;
        this.log = log;
        var timeout = new TimeoutStrategyOptions { Timeout = callTimeout };
        var reads = new ResiliencePipelineBuilder<ProcessResult>();
        if (retryReads)
        {
            // Reads are safe to repeat; 255 is Ozone's "runtime error" (often: leader changing).
            reads.AddRetry(new RetryStrategyOptions<ProcessResult>
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                ShouldHandle = new PredicateBuilder<ProcessResult>().HandleResult(r => r.ExitCode == 255),
                OnRetry = args =>
                {
                    log.Warn("ozone.retry", "retrying a read-only Ozone call", ("attempt", args.AttemptNumber + 1), ("reason", OzoneStderr.FirstRelevantLine(args.Outcome.Result?.StandardError ?? "")));
                    return ValueTask.CompletedTask;
                },
            });
        }
        readPipeline = reads.AddTimeout(timeout).Build();
        // Changes are never repeated blindly: callers re-read the live ring and decide again.
        changePipeline = new ResiliencePipelineBuilder<ProcessResult>().AddTimeout(timeout).Build();
    }

    public async Task<IReadOnlyList<OmRole>?> RolesAsync(string why, CancellationToken cancellationToken)
    {
        var result = await RunAsync(readPipeline, ["om", "roles", "--service-id", serviceId, "--json"], why, cancellationToken);
        if (result.ExitCode != 0) return null;
        var roles = ParseRoles(result.StandardOutput);
        if (roles is null) log.Warn("ozone.garbage", "roles output is not the expected JSON", ("stdout", Truncate(result.StandardOutput)));
        return roles;
    }

    public async Task<OzoneOutcome> DecommissionAsync(string nodeId, string host, string why, CancellationToken cancellationToken)
    {
        var result = await RunAsync(changePipeline, ["om", "decommission", "--service-id", serviceId, "--nodeid", nodeId, "--node-host-address", host], why, cancellationToken);
        return Outcome(result);
    }

    public async Task<OzoneOutcome> TransferLeaderAsync(string targetNodeId, string why, CancellationToken cancellationToken)
    {
        var result = await RunAsync(changePipeline, ["om", "transfer", "--service-id", serviceId, "-n", targetNodeId], why, cancellationToken);
        return Outcome(result);
    }

    /// <summary>The reason is the first RELEVANT stderr line: master prints deprecation WARNINGs first.</summary>
    private static OzoneOutcome Outcome(ProcessResult result)
    {
        var failure = OzoneStderr.Classify(result.StandardError);
        return new OzoneOutcome(result.ExitCode, failure.Line, result.ExitCode == 0 ? OzoneFailureKind.Unknown : failure.Kind);
    }

    /// <summary>Parses `[ {"om1": {"serverRole": "LEADER", "hostname": "h"}}, … ]`; null when the shape is wrong.</summary>
    public static IReadOnlyList<OmRole>? ParseRoles(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            var roles = new List<OmRole>();
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object) return null;
                foreach (var node in entry.EnumerateObject())
                {
                    if (node.Value.ValueKind != JsonValueKind.Object
                        || !node.Value.TryGetProperty("serverRole", out var role) || role.ValueKind != JsonValueKind.String) return null;
                    var host = node.Value.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
                    roles.Add(new OmRole(node.Name, role.GetString()!, host));
                }
            }
            return roles;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<ProcessResult> RunAsync(ResiliencePipeline<ProcessResult> pipeline, string[] omArgs, string why, CancellationToken cancellationToken)
    {
        string[] args = ["admin", $"--set=ozone.client.failover.max.attempts={FailoverAttempts}", .. omArgs];
        var spec = new ProcessSpec(ozoneBin, args);
        var what = "ozone " + string.Join(' ', args);
        var watch = Stopwatch.StartNew();
        ProcessResult result;
        try
        {
            result = await pipeline.ExecuteAsync(async ct => await runner.RunAsync(spec, ct), cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            result = new ProcessResult(-1, "", $"no answer within the deadline ({what})");
        }
        log.Call(what, why, result.ExitCode == 0 ? "exit 0" : $"exit {result.ExitCode}: {OzoneStderr.FirstRelevantLine(result.StandardError)}", watch.Elapsed);
        return result;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
