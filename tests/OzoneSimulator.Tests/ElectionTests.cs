namespace OzoneSimulator.Tests;

/// <summary>
/// Elections as Ratis holds them (ratis-server FollowerState, LeaderElection; Ozone's
/// OzoneManagerRatisServer election timeout of ozone.om.ratis.minimum.timeout to +200 ms), driven
/// in-process with a given clock: every node of the ring is this test process, so all of them run.
/// </summary>
public sealed class ElectionTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string root = Directory.CreateTempSubdirectory("election").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // FollowerState: nobody leads until a follower's randomized timeout has passed; LeaderId is null meanwhile.
    [Fact]
    public void A_lost_leader_leaves_no_leader_until_the_election_timeout_has_passed()
    {
        var ring = Ring(3, seed: 7);
        var now = ElectFirstLeader(ring);
        var lost = ring.Leader!;

        var node = Stop(ring, lost);
        Election.Reconcile(ring, now);
        var due = ring.ElectionDueAt;
        Election.Reconcile(ring, due!.Value - TimeSpan.FromMilliseconds(1));
        var before = ring.Leader;
        Election.Reconcile(ring, due.Value);

        (due.Value - now).TotalSeconds.Should().BeInRange(5, 5.2, "ozone.om.ratis.minimum.timeout is 5 s and the maximum 200 ms more");
        before.Should().BeNull("no follower's timer has fired yet");
        ring.Leader.Should().NotBeNull().And.NotBe(lost);
        ring.Running[lost] = node;
    }

    // LeaderElection: any up-to-date running voter may win, not the lowest ordinal.
    [Fact]
    public void Over_many_elections_more_than_one_node_wins()
    {
        var ring = Ring(3, seed: null);
        var now = ElectFirstLeader(ring);
        var winners = new HashSet<string> { ring.Leader! };

        // The leader restarts before the followers' timers fire, so every voter runs at each election.
        for (var election = 0; election < 50 && winners.Count < 2; election++)
        {
            var leader = ring.Leader!;
            var node = Stop(ring, leader);
            Election.Reconcile(ring, now);
            ring.Running[leader] = node;
            now = ring.ElectionDueAt!.Value;
            Election.Reconcile(ring, now);
            winners.Add(ring.Leader!);
        }

        winners.Should().HaveCountGreaterThan(1, $"winners are drawn at random (seed {ring.ElectionSeed})");
    }

    // LeaderElection: a vote goes only to a candidate whose log is at least as up to date as the voter's.
    [Fact]
    public void A_voter_that_missed_entries_never_wins_and_catches_up_from_the_winner()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var ring = Ring(3, seed);
            OmData.WriteKeys(ring.Running["om1"].MetadataDir, new() { ["/v/b/k"] = "x" });
            OmData.WriteKeys(ring.Running["om2"].MetadataDir, new() { ["/v/b/k"] = "x" });

            ElectFirstLeader(ring);

            ring.Leader.Should().NotBe("om0", $"om0's log is behind (seed {seed})");
            OmData.ReadKeys(ring.Running["om0"].MetadataDir).Should().ContainKey("/v/b/k");
        }
    }

    // OZONE_SIM_SEED: the same seed draws the same timeouts and winners, so a failing run can be replayed.
    [Fact]
    public void The_same_seed_elects_the_same_winners()
    {
        IReadOnlyList<string> Winners(int seed)
        {
            var ring = Ring(5, seed);
            var now = ElectFirstLeader(ring);
            var winners = new List<string> { ring.Leader! };
            for (var election = 0; election < 10; election++)
            {
                var leader = ring.Leader!;
                var node = Stop(ring, leader);
                Election.Reconcile(ring, now);
                ring.Running[leader] = node;
                now = ring.ElectionDueAt!.Value;
                Election.Reconcile(ring, now);
                winners.Add(ring.Leader!);
            }
            return winners;
        }

        Winners(42).Should().Equal(Winners(42));
    }

    // Ratis: without a live majority no election can win, and no timer is pending.
    [Fact]
    public void Without_a_majority_nobody_leads_and_no_election_is_due()
    {
        var ring = Ring(3, seed: 1);
        var now = ElectFirstLeader(ring);
        Stop(ring, "om1");
        Stop(ring, "om2");

        Election.Reconcile(ring, now.AddMinutes(5));

        ring.Leader.Should().BeNull();
        ring.ElectionDueAt.Should().BeNull();
    }

    // ratis-server impl/LeaderStateImpl#checkLeadership (Ratis 3.1–3.2): a leader steps down only after
    // the max election timeout without answers from a majority; meanwhile the majority elects a newer leader.
    [Fact]
    public void A_leader_cut_off_from_its_majority_still_says_LEADER_at_its_old_term_while_the_majority_elects_a_newer_one()
    {
        var ring = Ring(3, seed: 11);
        var now = ElectFirstLeader(ring);
        var old = ring.Leader!;
        var oldTerm = ring.Term;

        ring.Isolated = [old];
        Election.Reconcile(ring, now);
        Election.Reconcile(ring, ring.ElectionDueAt!.Value);
        var newer = ring.Leader;
        var oldBean = RaftBean(ring, old);

        newer.Should().NotBeNull().And.NotBe(old);
        RaftBean(ring, newer!)["CurrentTerm"]!.GetValue<long>().Should().BeGreaterThan(oldTerm);
        oldBean["Role"]!.GetValue<string>().Should().Be("   LEADER", "it has not noticed yet that it lost its majority");
        oldBean["LeaderId"]!.GetValue<string>().Should().Be(old);
        oldBean["CurrentTerm"]!.GetValue<long>().Should().Be(oldTerm);
        (ring.StaleLeader!.StepsDownAt - now).TotalSeconds.Should().BeGreaterThanOrEqualTo(Election.MinimumTimeoutSeconds + Election.TimeoutSpreadSeconds);
    }

    [Fact]
    public void A_cut_off_leader_steps_down_after_its_window_and_follows_the_new_leader_once_the_partition_heals()
    {
        var ring = Ring(3, seed: 11);
        var now = ElectFirstLeader(ring);
        var old = ring.Leader!;
        ring.Isolated = [old];
        Election.Reconcile(ring, now);
        Election.Reconcile(ring, ring.ElectionDueAt!.Value);

        Election.Reconcile(ring, ring.StaleLeader!.StepsDownAt);
        var steppedDown = RaftBean(ring, old);
        ring.Isolated = [];
        Election.Reconcile(ring, ring.ElectionDueAt ?? now);
        var healed = RaftBean(ring, old);

        steppedDown["Role"]!.GetValue<string>().Trim().Should().NotBe("LEADER");
        steppedDown["LeaderId"].Should().BeNull();
        healed["Role"]!.GetValue<string>().Should().Be(" FOLLOWER");
        healed["LeaderId"]!.GetValue<string>().Should().Be(ring.Leader);
    }

    private static System.Text.Json.Nodes.JsonNode RaftBean(Ring ring, string id) =>
        System.Text.Json.Nodes.JsonNode.Parse(JmxServer.Beans(ring, id, 9872, "Ratis:*"))!["beans"]![0]!;

    private Ring Ring(int n, int? seed)
    {
        var ring = new Ring { ElectionSeed = seed, GroupId = "group-TEST" };
        var pid = Environment.ProcessId;
        for (var i = 0; i < n; i++)
        {
            var id = $"om{i}";
            ring.Voters.Add(id);
            ring.Running[id] = new RunningNode { Pid = pid, StartTicks = Liveness.StartTicks(pid), MetadataDir = Path.Combine(root, $"{seed}-{id}"), Host = id };
        }
        return ring;
    }

    /// <summary>Runs the ring's first election: the timer starts at T0, the winner is chosen when it fires.</summary>
    private static DateTimeOffset ElectFirstLeader(Ring ring)
    {
        Election.Reconcile(ring, T0);
        var due = ring.ElectionDueAt!.Value;
        Election.Reconcile(ring, due);
        ring.Leader.Should().NotBeNull();
        return due;
    }

    /// <summary>Takes a node out of the running set, as Reconcile does when its process is gone; returns it for a restart.</summary>
    private static RunningNode Stop(Ring ring, string id)
    {
        var node = ring.Running[id];
        ring.Running.Remove(id);
        return node;
    }
}
