namespace OmLifecycle.Ozone;

/// <summary>A leader the answering voters confirm, or why no claim is believed.</summary>
public sealed record ConfirmedLeader(RaftServerState? Leader, string? Problem);

/// <summary>
/// Which node's claim to lead is believed. Ratis lets a leader that lost its majority go on saying
/// LEADER until its own check notices (ratis-server impl/LeaderStateImpl#checkLeadership, Ratis
/// 3.1–3.2: it steps down with LOST_MAJORITY_HEARTBEATS only after holding the role for the max
/// election timeout with fewer than a majority of followers answering within it), while the
/// majority elects a new leader with a higher term. Nothing may act on the stale leader's word.
/// </summary>
/// <remarks>
/// The claim with the highest term is believed only when no answering node of its group reports a
/// higher term, and the claimant plus the voters that name it as leader at the same term are a
/// majority of its configuration (itself and its Followers). A voter that answers with a LOWER term
/// (a staging joiner, a node that has not heard of this term yet) is left out of the count: it cannot
/// belong to a majority that elected anyone at a higher term, so a stale claimant still cannot reach a
/// majority. A voter that does not answer counts against the claim: only positive agreement counts.
/// </remarks>
public static class LeaderConfirmation
{
    public static ConfirmedLeader Confirm(IReadOnlyCollection<NodeProbe> probes)
    {
        var states = probes.Select(p => p.State).OfType<RaftServerState>().ToList();
        var claims = states.Where(s => s.IsLeader).OrderByDescending(s => s.Term).ToList();
        if (claims.Count == 0) return new(null, null);
        var claimant = claims[0];
        if (claims.Count > 1 && claims[1].Term == claimant.Term)
            return new(null, $"{claimant.Id} and {claims[1].Id} both say they lead at term {claimant.Term}; neither is believed until one steps down");

        var group = states.Where(s => s.GroupId == claimant.GroupId).ToList();
        if (group.Where(s => s.Term > claimant.Term).OrderByDescending(s => s.Term).FirstOrDefault() is { } newer)
            return new(null, $"{claimant.Id} says it leads at term {claimant.Term}, but {newer.Id} is at term {newer.Term}: a newer election happened, so {claimant.Id}'s claim is stale");

        var configuration = claimant.Followers.Append(claimant.Id).Distinct(StringComparer.Ordinal).ToList();
        var byId = group.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var behind = configuration.Count(v => v != claimant.Id && byId.TryGetValue(v, out var s) && s.Term < claimant.Term);
        var agreeing = configuration.Where(v => v == claimant.Id || byId.TryGetValue(v, out var s) && s.Term == claimant.Term && s.LeaderId == claimant.Id).ToList();
        if (RingView.IsMajority(agreeing.Count, configuration.Count - behind)) return new(claimant, null);
        return new(null, $"{claimant.Id} says it leads at term {claimant.Term}, but only {string.Join(", ", agreeing)} of its {configuration.Count} voters ({string.Join(", ", configuration)}) confirm it: it may have lost its majority and not stepped down yet");
    }
}
