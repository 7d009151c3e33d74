using System.Diagnostics;

namespace PaySim.TestSupport;

/// <summary>Headless Chromium (Debian's chromium package, installed by scripts/install-deps.sh): what a browser makes of a page.</summary>
public static class Chromium
{
    /// <summary>
    /// Opens <paramref name="htmlFile"/> from disk (file://, so nothing but the file itself can load) and returns the
    /// DOM as the browser parsed it (<c>--dump-dom</c>). Its own profile folder, so runs side by side never share one.
    /// </summary>
    public static async Task<string> DumpDomAsync(string htmlFile)
    {
        var profile = Directory.CreateTempSubdirectory("paysim-chromium-");
        try
        {
            var start = new ProcessStartInfo(ExternalTools.Require(ExternalTools.Chromium))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                "--user-data-dir=" + profile.FullName, "--dump-dom", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium --dump-dom {htmlFile} did not finish in 90 s: {await errors}");
            }

            var dom = await output;
            if (process.ExitCode != 0 || dom.Length == 0)
            {
                throw new InvalidOperationException($"chromium --dump-dom {htmlFile} exited {process.ExitCode} with {dom.Length} characters: {await errors}");
            }

            return dom;
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may hold the profile a moment longer; it is in the temp folder.
            }
        }
    }
}
