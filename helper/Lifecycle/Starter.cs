using OmLifecycle.Cli;
using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Process;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `start -- ozone om`: the OM entrypoint (docs/architecture.md, "Starting an OM"). Decides from the
/// volume and the live ring, runs Ozone, confirms membership through Ratis' own state, writes the
/// marker, then supervises the OM and keeps its ozone-site.xml in step with the membership.
/// </summary>
public sealed class Starter(LifecycleContext ctx)
{
    private const int SyncEveryPolls = 5;

    private enum Outcome { Exited, RetryBootstrap }

    /// <summary>Set when start itself stopped a bootstrap that did not finish in time.</summary>
    private string? stalled;

    /// <summary>Kubernetes API calls that failed in a row, and when the next one may be made (issue 9: the OM's liveness never depends on the API).</summary>
    private int apiFailures;
    private DateTimeOffset apiRetryAt = DateTimeOffset.MinValue;
    private ApiBackoff Backoff => new(ctx.PollInterval);

    public async Task<int> RunAsync(string[] command, CancellationToken cancellationToken)
    {
        if (command.Length == 0) throw LifecycleException.Refused("start needs the OM command after '--', e.g. 'om-lifecycle start -- ozone om'.");
        var self = ctx.Self();
        StartPreconditions.Check(ctx.Env, command);
        var waitDeadline = ctx.Clock.GetUtcNow() + ctx.Doc.Timeouts.WaitForTurn;
        DateTimeOffset? bootstrapDeadline = null;
        var attempts = 0;
        var readinessChecks = 0;

        while (true)
        {
            StartFacts facts;
            try
            {
                facts = await GatherAsync(self, cancellationToken);
                ApiAnswered();
            }
            catch (Exception e) when (ApiFailures.IsTransient(e, cancellationToken))
            {
                await WaitForApiAsync(e, "read the ring record to decide", waitDeadline, cancellationToken);
                continue;
            }
            var plan = StartDecision.Decide(facts);
            ctx.Log.Info("start.decide", plan.Reason, ("node", self.Id), ("action", plan.Action.ToString()));
            Heartbeat(plan.Action.ToString(), plan.Reason);
            var removed = ConfigWriter.Decommissioned(ctx.Doc, facts.Record);

            switch (plan.Action)
            {
                case StartAction.Refuse:
                    await RecordErrorAsync(plan.Reason, cancellationToken);
                    throw LifecycleException.Refused(plan.Reason);

                case StartAction.Wait:
                    if (ctx.Clock.GetUtcNow() > waitDeadline)
                        throw LifecycleException.Deadline($"{plan.Reason} Gave up after timeouts.waitForTurn ({ctx.Doc.Timeouts.WaitForTurn.TotalSeconds:0} s); the pod restarts and waits again.");
                    await ctx.PauseAsync(cancellationToken);
                    continue;

                case StartAction.WipeStale:
                    VolumeWiper.Wipe(ctx.DataLocations());
                    ctx.Log.Info("start.wipe", $"wiped the stale data of decommissioned {self.Id} before it joins again", ("node", self.Id));
                    if (ctx.Kube.Available && !await TryBeforeRunAsync(() => ctx.Kube.UpdateRingAsync(r => r.WithWiped(self.Id), cancellationToken), "record the wipe", waitDeadline, cancellationToken))
                        continue;
                    continue;

                case StartAction.Member or StartAction.InitialMember:
                    ConfigWriter.Write(ctx, plan.ConfigNodes, removed, self.Id);
                    // Before the OM answers a joiner's pre-check, the record says what its file lists.
                    if (ctx.Kube.Available) await RecordConfiguredAsync(self, plan.ConfigNodes, facts.Record, cancellationToken);
                    if (plan.NeedsInit) await InitAsync(self, command, cancellationToken);
                    var mode = plan.Action == StartAction.InitialMember ? "init" : "member";
                    var (_, code) = await RunOmAsync(self, command, [], plan.NeedsMarker ? mode : null, deadline: null, cancellationToken);
                    return code;

                case StartAction.Bootstrap:
                    if (facts.Record?.Decommissioned.Contains(self.Id) == true)
                    {
                        // A reused ordinal: Ozone accepts the id again once no OM lists it as decommissioned.
                        if (!await TryBeforeRunAsync(() => ctx.Kube.UpdateRingAsync(r => r.WithoutDecommissioned([self.Id]), cancellationToken), "take this node off the decommissioned list", waitDeadline, cancellationToken))
                            continue;
                        ctx.Log.Info("start.reuse", $"{self.Id} joins again: taken off the decommissioned list first", ("node", self.Id));
                        await ctx.PauseAsync(cancellationToken);
                        continue;
                    }
                    bootstrapDeadline ??= ctx.Clock.GetUtcNow() + ctx.Doc.Timeouts.Bootstrap;
                    ConfigWriter.Write(ctx, plan.ConfigNodes, removed, self.Id);
                    if (ctx.Kube.Available && BootstrapReadiness.Blockers(self, plan.ConfigNodes, facts.Ring, facts.Record) is { Count: > 0 } blockers)
                    {
                        // Ozone's pre-check asks each peer once and fails at the first file that lacks this node: wait here instead of paying a JVM start per try.
                        readinessChecks++;
                        if (ctx.Clock.GetUtcNow() > bootstrapDeadline)
                        {
                            var why = $"{self.Id} did not run '--bootstrap' within timeouts.bootstrap ({ctx.Doc.Timeouts.Bootstrap.TotalSeconds:0} s, {readinessChecks} checks): Ozone's pre-check would fail because {string.Join("; ", blockers)}. Check that those OMs run and that their om-lifecycle can write the ring record ('om-lifecycle status').";
                            await RecordErrorAsync(why, cancellationToken);
                            throw LifecycleException.Deadline(why);
                        }
                        var wait = BootstrapReadiness.Backoff(ctx.PollInterval, readinessChecks);
                        ctx.Log.Info("start.bootstrap-wait", $"not running '--bootstrap' yet (check {readinessChecks}): {string.Join("; ", blockers)}; checking again in {wait.TotalSeconds:0.#} s",
                            ("node", self.Id), ("check", readinessChecks), ("retryInMs", (long)wait.TotalMilliseconds));
                        await Task.Delay(wait, ctx.Clock, cancellationToken);
                        continue;
                    }
                    attempts++;
                    if (ctx.Kube.Available)
                        ctx.Log.Info("start.bootstrap-ready", $"every member {self.Id} lists runs and has recorded an ozone-site.xml that lists it (after {readinessChecks + 1} checks): running '--bootstrap' (attempt {attempts})",
                            ("node", self.Id), ("checks", readinessChecks + 1), ("attempt", attempts));
                    BootstrapStarted.Note(ctx.Doc.MetadataDir, self.Id);
                    var (outcome, exit) = await RunOmAsync(self, command, ["--bootstrap"], "bootstrap", bootstrapDeadline, cancellationToken);
                    if (outcome == Outcome.Exited) return exit;
                    if (ctx.Clock.GetUtcNow() > bootstrapDeadline)
                    {
                        var why = $"{self.Id} could not bootstrap within timeouts.bootstrap ({ctx.Doc.Timeouts.Bootstrap.TotalSeconds:0} s, {attempts} attempts): Ozone's pre-check kept failing (some member's ozone-site.xml does not list {self.Id} yet) or the leader kept refusing the add (another configuration change in progress); the OM's first error line is above. Check 'om-lifecycle status' on the members.";
                        await RecordErrorAsync(why, cancellationToken);
                        throw LifecycleException.Deadline(why);
                    }
                    ctx.Log.Warn("start.bootstrap-retry", "'--bootstrap' failed before this node was confirmed (Ozone's pre-check, or the leader refused the add for now: see the OM's first error line above); deciding again", ("node", self.Id), ("attempt", attempts));
                    await ctx.PauseAsync(cancellationToken);
                    continue;
            }
        }
    }

    private async Task<StartFacts> GatherAsync(OmNode self, CancellationToken cancellationToken)
    {
        var marker = BootstrapMarker.Read(ctx.Doc.MetadataDir);
        var locations = ctx.DataLocations();
        var version = OmVersionFile.Read(locations.DbRoot);
        var record = ctx.Kube.Available ? await ctx.Kube.ReadRingAsync(cancellationToken) : null;
        var ring = await ctx.ObserveAsync(RingRecord.OrdinalsKnown(record, ctx.Doc.OrdinalOf), cancellationToken);
        return new StartFacts(ctx.Doc, self, marker, version, ring, record, ctx.Kube.Available, BootstrapStarted.IsOn(ctx.Doc.MetadataDir), locations, VolumeWiper.HoldsOmData(locations));
    }

    /// <summary>`ozone om --init`: writes VERSION (Ozone fetches the cluster id from SCM).</summary>
    private async Task InitAsync(OmNode self, string[] command, CancellationToken cancellationToken)
    {
        Heartbeat("init", "ozone om --init");
        var started = ctx.Clock.GetUtcNow();
        ProcessResult result;
        // `--init` can wait minutes for SCM: the heartbeat stays fresh meanwhile, so liveness does not kill a pod that is making progress.
        using (var beating = new CancellationTokenSource())
        {
            var beat = KeepBeatingAsync("init", "ozone om --init (waiting for it to finish)", beating.Token);
            try
            {
                result = await ctx.Runner.RunAsync(new ProcessSpec(command[0], [.. command[1..], "--init"]), cancellationToken);
            }
            finally
            {
                await beating.CancelAsync();
                await beat;
            }
        }
        ctx.Log.Call(string.Join(' ', command) + " --init", "empty volume", $"exit {result.ExitCode}", ctx.Clock.GetUtcNow() - started);
        Console.Out.Write(result.StandardOutput);
        Console.Error.Write(result.StandardError);
        if (result.ExitCode != 0)
            throw LifecycleException.Ozone($"'{string.Join(' ', command)} --init' failed with exit {result.ExitCode} ({OzoneStderr.FirstRelevantLine(result.StandardError)}). Ozone could not write VERSION; check that SCM is reachable and the volume is writable.");
        // `--init` exits 0 on a VERSION it did not write, whoever's it is (OzoneManager.omInit): check what is there now.
        var locations = ctx.DataLocations();
        var version = OmVersionFile.Read(locations.DbRoot);
        if (version is null || (version.NodeId is { } owner && owner != self.Id))
            throw LifecycleException.Refused(version is null
                ? $"'{string.Join(' ', command)} --init' exited 0 but {locations.VersionPath} does not exist: the OM keeps its VERSION elsewhere than om-lifecycle reads it. Check ozone.om.db.dirs and ozone.metadata.dirs in {ctx.Env.OzoneSitePath}. Nothing was started."
                : $"'{string.Join(' ', command)} --init' exited 0, but {locations.VersionPath} belongs to OM '{version.NodeId}', not '{self.Id}' (Ozone does not re-initialise an existing VERSION). This volume holds another node's data; give this pod its own volume. Nothing was started.");
    }

    /// <summary>
    /// Runs the OM until it exits, confirming membership when <paramref name="markerMode"/> is set
    /// and keeping the config in sync. A bootstrap that exits 1 before it is confirmed is retried.
    /// </summary>
    private async Task<(Outcome, int)> RunOmAsync(OmNode self, string[] command, string[] extra, string? markerMode, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        using var child = ChildProcess.Start(new ProcessSpec(command[0], [.. command[1..], .. extra]));
        ctx.Log.Info("start.run", $"started {string.Join(' ', command.Concat(extra))}", ("node", self.Id), ("pid", child.Id));
        Heartbeat(markerMode == "bootstrap" ? "bootstrapping" : "running", string.Join(' ', command.Concat(extra)));
        using var stopWork = new CancellationTokenSource();
        var exited = child.WaitForExitAsync(CancellationToken.None);
        var work = Task.Run(() => ConfirmAndSyncAsync(self, markerMode, deadline, child, stopWork.Token), CancellationToken.None);

        try
        {
            await exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            ctx.Log.Info("start.signal", "forwarding SIGTERM to the OM", ("pid", child.Id));
            child.Terminate();
        }
        var code = await exited;
        await stopWork.CancelAsync();
        try { await work; } catch (OperationCanceledException) { }
        // The marker on disk is the record of confirmation, whether or not the sync loop was interrupted.
        var confirmed = markerMode is null || BootstrapMarker.Read(ctx.Doc.MetadataDir)?.NodeId == self.Id;
        ctx.Log.Info("start.exit", $"the OM exited with {code}", ("node", self.Id), ("exitCode", code), ("confirmed", confirmed));
        if (stalled is not null) throw LifecycleException.Deadline(stalled);
        if (!confirmed && markerMode == "bootstrap" && OmExit.IsWorthAnotherBootstrap(code, child.StderrHead) && !cancellationToken.IsCancellationRequested) return (Outcome.RetryBootstrap, code);
        if (code != 0 && !cancellationToken.IsCancellationRequested) ctx.Log.Error("start.om-failed", OmExit.Explain(self.Id, code, child.StderrHead), ("node", self.Id), ("exitCode", code));
        return (Outcome.Exited, code);
    }

    /// <summary>Confirms the node joined (then writes the marker), then keeps ozone-site.xml in sync.</summary>
    private async Task ConfirmAndSyncAsync(OmNode self, string? markerMode, DateTimeOffset? deadline, ChildProcess child, CancellationToken cancellationToken)
    {
        var confirmed = markerMode is null;
        var lastView = RingView.Empty;
        var doc = ctx.Doc;
        RingRecord? record = null;
        RingView? unrecorded = null;
        var commitCheck = markerMode == "bootstrap" ? new BootstrapCommitCheck(ctx.Ozone, ctx.Log, self.Id) : null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Confirmation is watched closely; once a member, the sync is a slower background chore.
            for (var i = 0; i < (confirmed ? SyncEveryPolls : 1); i++) await ctx.PauseAsync(cancellationToken);
            if (child.HasExited) break;
            // The heartbeat comes first and depends on nothing else: the API failing must not make the OM look hung.
            Heartbeat(!confirmed && markerMode == "bootstrap" ? "bootstrapping" : "running", confirmed ? "member" : "waiting for the ring to confirm this node");
            // With the API down, the last record read stands in (it only widens the ordinals observed).
            if (ApiDue) await CallApiAsync(async t => record = await ctx.Kube.ReadRingAsync(t), "read the ring record", cancellationToken);
            var view = await ctx.ObserveAsync(RingRecord.OrdinalsKnown(record, ctx.Doc.OrdinalOf), cancellationToken);
            if (view.HasLeader) lastView = view;

            if (!confirmed)
            {
                // The leader's Followers also lists a joiner that is still staging: a bootstrap is confirmed only
                // once the leader's peer map (`roles`) lists it too, i.e. the change that adds it committed.
                var listed = view.HasLeader && view.IsVoter(self.Id) && view.IsAlive(self.Id);
                if (listed && (commitCheck is null || await commitCheck.CommittedAsync(cancellationToken)))
                {
                    var version = OmVersionFile.Read(ctx.DataLocations().DbRoot);
                    new BootstrapMarker(self.Id, ctx.Doc.ServiceId, version?.ClusterId ?? "", ctx.Clock.GetUtcNow(), markerMode!).WriteTo(ctx.Doc.MetadataDir);
                    if (BootstrapStarted.IsOn(ctx.Doc.MetadataDir)) BootstrapStarted.Clear(ctx.Doc.MetadataDir);
                    confirmed = true;
                    ctx.Log.Info("start.confirmed", markerMode == "bootstrap" ? $"{self.Id} is a member: leader {view.LeaderId} lists it in its Ratis Followers and its peer map ('ozone admin om roles'), so the add committed; marker written" : $"{self.Id} is a member: leader {view.LeaderId} lists it as a voter; marker written", ("node", self.Id), ("voters", view.Voters));
                    Heartbeat("running", "confirmed member");
                    if (ctx.Kube.Available) unrecorded = view;
                }
                else if (deadline is { } d && ctx.Clock.GetUtcNow() > d)
                {
                    // HDDS-16057: a bootstrap can loop forever; report it instead of waiting on it.
                    var why = OmExit.StuckBootstrap(self.Id, view, ctx.Doc.Timeouts.Bootstrap);
                    ctx.Log.Error("start.stuck", why, ("node", self.Id));
                    await RecordErrorAsync(why, cancellationToken);
                    stalled = why;
                    child.Terminate();
                    return;
                }
                else continue;
            }

            // The voters seen at confirmation go into the record once the API answers.
            if (unrecorded is { } seen && ApiDue &&
                await CallApiAsync(t => ctx.Kube.UpdateRingAsync(r => r with { ActualVoters = seen.Voters, Leader = seen.LeaderId }, t), "record the voters", cancellationToken))
                unrecorded = null;
            // Without the API the mounted file is read; with it, only when no backoff runs (the last good document stands meanwhile).
            if (!ctx.Kube.Available) doc = await FreshDocumentAsync(doc, cancellationToken);
            else if (ApiDue) await CallApiAsync(async t => doc = await FreshDocumentAsync(doc, t), "read the membership", cancellationToken);
            var removed = ConfigWriter.Decommissioned(doc, record);
            var ring = ConfigWriter.FullRing(doc, lastView, removed);
            ConfigWriter.Write(ctx with { Doc = doc }, ring, removed, self.Id);
            if (ApiDue) record = await RecordConfiguredAsync(self, ring, record, cancellationToken) ?? record;
            Heartbeat("running", "member");
        }
    }

    /// <summary>
    /// Records in the ring record the node list just written into this OM's ozone-site.xml (only
    /// when it differs from the one recorded), so that a joiner knows its pre-check will pass here.
    /// Returns the updated record, or null when nothing was written or the API failed (retried at the next sync).
    /// </summary>
    private async Task<RingRecord?> RecordConfiguredAsync(OmNode self, IEnumerable<OmNode> written, RingRecord? known, CancellationToken cancellationToken)
    {
        var ids = written.Select(n => n.Id).ToList();
        if (known is not null && known.Configured.TryGetValue(self.Id, out var recorded) && recorded.SequenceEqual(ids)) return null;
        RingRecord? updated = null;
        await CallApiAsync(async t => updated = await ctx.Kube.UpdateRingAsync(r => r.WithConfigured(self.Id, ids), t), "record the nodes this OM's ozone-site.xml lists", cancellationToken);
        return updated;
    }

    /// <summary>
    /// Before the OM runs, deciding needs the API: a transient failure is a warning and a wait with
    /// backoff (the heartbeat says so), within timeouts.waitForTurn; then the decision is made again.
    /// </summary>
    private async Task WaitForApiAsync(Exception e, string what, DateTimeOffset waitDeadline, CancellationToken cancellationToken)
    {
        ApiFailed(e, what);
        Heartbeat(StartAction.Wait.ToString(), "the Kubernetes API does not answer; deciding again once it does");
        if (ctx.Clock.GetUtcNow() > waitDeadline)
            throw LifecycleException.Deadline($"The Kubernetes API did not answer ({ApiFailures.Describe(e)}) for longer than timeouts.waitForTurn ({ctx.Doc.Timeouts.WaitForTurn.TotalSeconds:0} s); the pod restarts and tries again.");
        var wait = apiRetryAt - ctx.Clock.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ctx.Clock, cancellationToken);
    }

    /// <summary>An API write before the OM runs; false (after waiting) when the API failed transiently and the decision must be made again.</summary>
    private async Task<bool> TryBeforeRunAsync(Func<Task> call, string what, DateTimeOffset waitDeadline, CancellationToken cancellationToken)
    {
        try
        {
            await call();
            ApiAnswered();
            return true;
        }
        catch (Exception e) when (ApiFailures.IsTransient(e, cancellationToken))
        {
            await WaitForApiAsync(e, what, waitDeadline, cancellationToken);
            return false;
        }
    }

    /// <summary>Whether a Kubernetes API call may be made now: the API exists and no backoff is running.</summary>
    private bool ApiDue => ctx.Kube.Available && ctx.Clock.GetUtcNow() >= apiRetryAt;

    /// <summary>
    /// One API call while the OM runs. Any failure, transient or not (a 403 after an RBAC change),
    /// is a warning and a later retry with backoff, never the end of start: the OM serves without
    /// the API, and the API is only needed again for the next membership change.
    /// </summary>
    private async Task<bool> CallApiAsync(Func<CancellationToken, Task> call, string what, CancellationToken cancellationToken)
    {
        // An API server that takes the connection and never answers: give up on our side too, whatever the client does.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LifecycleContext.ApiRequestTimeout(ctx.PollInterval));
        try
        {
            await call(timeout.Token);
            ApiAnswered();
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the client throws (a status, a dropped connection, a body it cannot read).
            ApiFailed(e, what);
            return false;
        }
    }

    private void ApiFailed(Exception e, string what)
    {
        apiFailures++;
        var delay = Backoff.Delay(apiFailures, Random.Shared.NextDouble());
        apiRetryAt = ctx.Clock.GetUtcNow() + delay;
        ctx.Log.Warn("start.kube-unavailable", $"could not {what}: the Kubernetes API failed ({ApiFailures.Describe(e)}); the OM keeps running, retrying in {delay.TotalSeconds:0.0} s",
            ("attempt", apiFailures), ("retryInMs", (long)delay.TotalMilliseconds));
    }

    private void ApiAnswered()
    {
        if (apiFailures == 0) return;
        ctx.Log.Info("start.kube-available", $"the Kubernetes API answers again after {apiFailures} failed calls", ("failures", apiFailures));
        apiFailures = 0;
        apiRetryAt = DateTimeOffset.MinValue;
    }

    /// <summary>Refreshes the heartbeat every poll interval until cancelled, while start waits on something that is not a loop of its own.</summary>
    private async Task KeepBeatingAsync(string phase, string reason, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await ctx.PauseAsync(cancellationToken);
                Heartbeat(phase, reason);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The membership as the API has it now, else the mounted file; a bad update keeps the last good one.</summary>
    private async Task<MembershipDocument> FreshDocumentAsync(MembershipDocument current, CancellationToken cancellationToken)
    {
        try
        {
            var text = ctx.Kube.Available ? await ctx.Kube.ReadMembershipAsync(cancellationToken) : null;
            return text is not null ? MembershipLoader.Parse(text, ctx.Doc.MembershipConfigMap) : MembershipLoader.LoadFile(ctx.Env.MembershipPath);
        }
        catch (LifecycleException e)
        {
            ctx.Log.Warn("start.membership", $"keeping the last good membership: {e.Message}");
            return current;
        }
    }

    private async Task RecordErrorAsync(string why, CancellationToken cancellationToken)
    {
        if (!ctx.Kube.Available) return;
        try
        {
            await ctx.Kube.UpdateRingAsync(r => r with { LastError = $"{ctx.Env.PodName}: {why}" }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ctx.Log.Warn("start.record", $"could not record the error in the ring ConfigMap: {e.Message}");
        }
    }

    private void Heartbeat(string phase, string reason)
    {
        try
        {
            new RunState(phase, reason, ctx.Clock.GetUtcNow()).Write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Log.Warn("start.heartbeat", $"cannot write {RunState.DirectoryPath}: {e.Message}; probes will fail. Mount an emptyDir there.");
        }
    }
}
