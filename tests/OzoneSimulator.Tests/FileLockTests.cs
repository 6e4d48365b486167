namespace OzoneSimulator.Tests;

/// <summary>The simulator's state lock (<see cref="FileLock"/>): one holder at a time, waiters sleep until it is let go.</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("file-lock-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task A_second_holder_waits_until_the_first_lets_go()
    {
        var path = Path.Combine(dir, "lock");
        var first = FileLock.Acquire(path);
        var secondHolds = false;

        var second = Task.Run(() => { using var held = FileLock.Acquire(path); Volatile.Write(ref secondHolds, true); });
        await Task.Delay(200);
        var whileFirstHeld = Volatile.Read(ref secondHolds);
        first.Dispose();
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        whileFirstHeld.Should().BeFalse("flock LOCK_EX admits one holder");
        Volatile.Read(ref secondHolds).Should().BeTrue();
    }

    [Fact]
    public async Task A_child_started_while_the_lock_is_held_does_not_keep_it()
    {
        var path = Path.Combine(dir, "lock");
        using var child = new System.Diagnostics.Process { StartInfo = new("sleep", "60") };
        using (FileLock.Acquire(path)) child.Start();
        try
        {
            var again = Task.Run(() => FileLock.Acquire(path).Dispose());
            await again.WaitAsync(TimeSpan.FromSeconds(30));
            again.IsCompletedSuccessfully.Should().BeTrue("the lock's file is closed on exec, so the child holds nothing");
        }
        finally { child.Kill(); }
    }

    [Fact]
    public void The_lock_file_is_created_and_a_lock_can_be_taken_again_after_dispose()
    {
        var path = Path.Combine(dir, "lock");
        using (FileLock.Acquire(path)) File.Exists(path).Should().BeTrue();
        using var again = FileLock.Acquire(path);
        again.Dispose();
        again.Dispose();
    }

    [Fact]
    public void A_lock_in_a_missing_directory_is_a_clear_error()
    {
        var act = () => FileLock.Acquire(Path.Combine(dir, "absent", "lock"));
        act.Should().Throw<IOException>().WithMessage("*cannot open the lock file*absent*");
    }
}
