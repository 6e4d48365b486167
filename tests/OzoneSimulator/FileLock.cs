using System.Runtime.InteropServices;

namespace OzoneSimulator;

/// <summary>
/// An exclusive lock on a file that every simulator process and the twin share: flock(2) with
/// LOCK_EX, which blocks in the kernel until the holder lets go (its close, or its exit, even a
/// SIGKILL). Waiters sleep instead of retrying a non-blocking open every few milliseconds, which
/// on a loaded machine burnt CPU and could give up after ten seconds while fourteen OMs polled.
/// </summary>
public sealed class FileLock : IDisposable
{
    // O_RDWR | O_CREAT | O_CLOEXEC (Linux, x64 and arm64). Close-on-exec matters: a flock belongs to
    // the open file, so a child started while the lock is held would otherwise inherit it and hold
    // it for as long as it runs (a simulated OM: for ever).
    private const int OpenFlags = 0x2 | 0x40 | 0x80000;
    // O_RDONLY | O_CLOEXEC: flock needs no write access, so a lock file another user created still locks.
    private const int ReadOnlyFlags = 0x80000;
    private const int LockExclusive = 2;                 // LOCK_EX
    private const int Interrupted = 4;                   // EINTR
    private int fd;

    private FileLock(int fd) => this.fd = fd;

    public static FileLock Acquire(string path)
    {
        var fd = Open(path, OpenFlags, Convert.ToInt32("644", 8));
        if (fd < 0) fd = Open(path, ReadOnlyFlags, 0);
        if (fd < 0) throw new IOException($"cannot open the lock file {path} (errno {Marshal.GetLastPInvokeError()})");
        while (Flock(fd, LockExclusive) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted) continue;
            Close(fd);
            throw new IOException($"cannot lock {path} (errno {errno})");
        }
        return new FileLock(fd);
    }

    public void Dispose()
    {
        var held = Interlocked.Exchange(ref fd, -1);
        if (held >= 0) Close(held);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int fd, int operation);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
