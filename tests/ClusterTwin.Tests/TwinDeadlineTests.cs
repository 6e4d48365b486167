namespace ClusterTwin.Tests;

/// <summary>
/// Twin deadlines (<see cref="TwinDeadline"/>) give back the time the machine's runnable work spent
/// waiting for a CPU, up to three times the span, and <see cref="CpuStall"/> reads that wait from the
/// kernel's /proc/pressure/cpu (fixtures/linux, Linux Documentation/accounting/psi.rst).
/// </summary>
public sealed class TwinDeadlineTests
{
    private static readonly TimeSpan Span = TimeSpan.FromSeconds(30);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "linux", name));

    [Fact]
    public void Without_stall_the_deadline_is_the_span()
    {
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(12), TimeSpan.Zero).Should().Be(TimeSpan.FromSeconds(18));
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(31), TimeSpan.Zero).Should().BeLessThan(TimeSpan.Zero);
    }

    [Fact]
    public void Stall_lengthens_the_deadline_by_as_much()
    {
        // A rolling restart that needed 41 s on a loaded machine, 11 s of it spent waiting for a CPU.
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(11)).Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void The_stretch_stops_at_three_times_the_span_so_a_hang_still_fails()
    {
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(85)).Should().Be(TimeSpan.Zero);
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(91), TimeSpan.FromSeconds(91)).Should().BeLessThan(TimeSpan.Zero);
    }

    [Fact]
    public void A_stall_reading_that_went_backwards_does_not_shorten_the_deadline()
    {
        TwinDeadline.Remaining(Span, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(-5)).Should().Be(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("pressure-cpu.txt", 30_809_646_000L)]
    [InlineData("pressure-cpu-some-only.txt", 0L)]
    public void The_some_total_is_read_in_microseconds(string fixture, long micros)
    {
        CpuStall.ParseSomeTotal(Fixture(fixture)).Should().Be(TimeSpan.FromMicroseconds(micros));
    }

    [Theory]
    [InlineData("")]
    [InlineData("full avg10=0.00 avg60=0.00 avg300=0.00 total=12\n")]
    [InlineData("some avg10=0.00 avg60=0.00 avg300=0.00 total=\n")]
    [InlineData("some avg10=0.00 avg60=0.00 avg300=0.00 total=-4\n")]
    public void A_file_without_a_some_total_gives_none(string text)
    {
        CpuStall.ParseSomeTotal(text).Should().BeNull();
    }

    [Fact]
    public void A_deadline_handle_that_has_not_passed_leaves_its_token_alone()
    {
        using var deadline = TwinDeadline.Start(TimeSpan.FromHours(1));
        deadline.Token.IsCancellationRequested.Should().BeFalse();
        deadline.Passed.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task A_deadline_handle_cancels_its_token_once_it_has_passed()
    {
        using var deadline = TwinDeadline.Start(TimeSpan.FromMilliseconds(20));
        await deadline.Passed;
        deadline.Token.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public async Task A_disposed_handle_never_cancels_its_token()
    {
        var deadline = TwinDeadline.Start(TimeSpan.FromMilliseconds(20));
        deadline.Dispose();
        await deadline.Passed;
        deadline.Token.IsCancellationRequested.Should().BeFalse();
    }
}
