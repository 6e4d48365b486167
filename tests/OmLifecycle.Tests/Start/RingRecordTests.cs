using FluentAssertions;
using OmLifecycle.Kubernetes;
using Xunit;

namespace OmLifecycle.Tests.Start;

public sealed class RingRecordTests
{
    private static int? OrdinalOf(string id) =>
        id.StartsWith("ozone-om-", StringComparison.Ordinal) && int.TryParse(id["ozone-om-".Length..], out var n) ? n : null;

    [Fact]
    public void No_record_knows_no_ordinals() =>
        RingRecord.OrdinalsKnown(null, OrdinalOf).Should().Be(0);

    [Fact]
    public void Decommissioned_nodes_above_the_voters_are_counted_so_observers_still_ask_them()
    {
        var record = RingRecord.Empty.WithDecommissioned("ozone-om-5") with { ActualVoters = ["ozone-om-0", "ozone-om-1", "ozone-om-2"] };
        RingRecord.OrdinalsKnown(record, OrdinalOf).Should().Be(6);
    }

    [Fact]
    public void Ids_that_are_not_ring_nodes_are_ignored()
    {
        var record = RingRecord.Empty with { ActualVoters = ["ozone-om-1", "someone-else"] };
        RingRecord.OrdinalsKnown(record, OrdinalOf).Should().Be(2);
    }

    [Fact]
    public void Data_round_trips_through_the_config_map_form()
    {
        var record = RingRecord.Empty.WithDecommissioned("ozone-om-4") with { ActualVoters = ["ozone-om-0"], DesiredVoters = 3, Leader = "ozone-om-0" };
        var back = RingRecord.FromData(new Dictionary<string, string>(record.ToData()));
        back.Decommissioned.Should().Equal("ozone-om-4");
        back.ActualVoters.Should().Equal("ozone-om-0");
        back.DesiredVoters.Should().Be(3);
        back.Leader.Should().Be("ozone-om-0");
    }

    [Fact]
    public void What_each_OM_recorded_as_its_configured_nodes_round_trips_and_goes_when_the_OM_is_decommissioned()
    {
        var record = RingRecord.Empty
            .WithConfigured("ozone-om-0", ["ozone-om-0", "ozone-om-1", "ozone-om-2"])
            .WithConfigured("ozone-om-1", ["ozone-om-0", "ozone-om-1"]);

        var back = RingRecord.FromData(new Dictionary<string, string>(record.ToData()));

        back.Lists("ozone-om-0", "ozone-om-2").Should().BeTrue();
        back.Lists("ozone-om-1", "ozone-om-2").Should().BeFalse();
        back.Lists("ozone-om-2", "ozone-om-0").Should().BeFalse("ozone-om-2 recorded nothing");
        back.WithDecommissioned("ozone-om-0").Lists("ozone-om-0", "ozone-om-2").Should().BeFalse("a removed OM's file is gone with it");
    }
}
