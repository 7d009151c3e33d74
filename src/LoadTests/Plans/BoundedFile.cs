namespace PaySim.LoadTests.Plans;

/// <summary>
/// A file the user names (a plan, a shard's summary.json or time series), read with bounds: a FIFO with no writer or a
/// device such as /dev/zero would otherwise hang the harness or fill its memory. More than <see cref="MaxBytes"/>, no
/// end within <see cref="ReadTimeout"/>, or a read error is one line (a <see cref="PlanException"/>, exit 2).
/// </summary>
internal static class BoundedFile
{
    /// <summary>The largest file read: far beyond any plan (a few KB) or shard summary (a few MB), small enough to read at once.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>How long a file may take to read before it is taken for a pipe or a device that never ends.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Reads <paramref name="path"/> as UTF-8 text (a byte order mark is skipped).</summary>
    /// <param name="name">How the line names the file, e.g. <c>--plan: "p.json"</c> or <c>merge: s1/summary.json:</c>.</param>
    /// <param name="give">What to give instead, ending the line for a pipe or an unreadable file: <c>give a plan .json file</c>.</param>
    /// <param name="tooBig">Ends the line for a file over <see cref="MaxBytes"/>: <c>a plan is a JSON file of a few KB</c>.</param>
    public static string ReadText(string path, string name, string give, string tooBig, TimeSpan? timeout = null)
    {
        var limit = timeout ?? ReadTimeout;
        var read = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxBytes)
                {
                    return null;
                }
            }

            return buffer.ToArray();
        });

        // WaitAny, not Wait: a read that failed is reported below as the file's own error, not as an AggregateException.
        if (Task.WaitAny([read], limit) < 0)
        {
            throw new PlanException($"{name} did not reach its end within {DurationText.Format(limit)} (a pipe or a device?); {give}.");
        }

        byte[]? bytes;
        try
        {
            bytes = read.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"{name} cannot be read ({ex.Message.ReplaceLineEndings(" ").TrimEnd('.')}); {give}.", ex);
        }

        if (bytes is null)
        {
            throw new PlanException($"{name} is more than {MaxBytes / (1024 * 1024)} MiB; {tooBig}.");
        }

        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
