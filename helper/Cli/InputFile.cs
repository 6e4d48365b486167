using System.Text;

namespace OmLifecycle.Cli;

/// <summary>
/// Reads a small text file a person or the chart named (the membership document, a kubeconfig)
/// without trusting it: only a regular file is opened (a FIFO would block forever, /dev/zero never
/// ends), it is read up to a size cap, and it must be UTF-8. Every problem is a refusal that names
/// the file, what was found and <c>fix</c>.
/// </summary>
public static class InputFile
{
    public static string ReadText(string path, string what, string fix, int maxBytes)
    {
        if (path.Length == 0) throw LifecycleException.Refused($"The path of {what} is empty. {fix}");
        var shown = UntrustedText.Show(path, 200);
        try
        {
            if (Directory.Exists(path))
                throw LifecycleException.Refused($"{Capital(what)} {shown} is a directory, not a file. {fix}");
            // The checks below look at what a symbolic link finally points at: a link to a FIFO would otherwise pass them and block in open().
            var link = new FileInfo(path);
            var info = link.LinkTarget is null ? link : link.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? link;
            if (!link.Exists && link.LinkTarget is null) throw new FileNotFoundException("it does not exist");
            if (!info.Exists || Directory.Exists(info.FullName))
                throw LifecycleException.Refused($"{Capital(what)} {shown} is a link to {UntrustedText.Show(info.FullName, 200)}, which is not a regular file. {fix}");
            // FIFOs, devices and /proc files report size 0; opening a FIFO would wait for a writer forever.
            if (info.Length == 0)
                throw LifecycleException.Refused($"{Capital(what)} {shown} is empty or not a regular file (a FIFO, a device or a /proc file is never read). {fix}");
            if (info.Length > maxBytes) throw TooLarge(shown, what, fix, maxBytes);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var buffer = new byte[maxBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            if (total > maxBytes) throw TooLarge(shown, what, fix, maxBytes);
            try
            {
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(buffer, 0, total).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                throw LifecycleException.Refused($"{Capital(what)} {shown} is not UTF-8 text. {fix}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw LifecycleException.Refused($"Cannot read {what} at {shown} ({CommandBoundary.OneLine(e.Message, 200)}). {fix}");
        }
    }

    private static LifecycleException TooLarge(string path, string what, string fix, int maxBytes) =>
        LifecycleException.Refused($"{Capital(what)} {path} is larger than {maxBytes / 1024} KiB, far more than it can hold. {fix}");

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
