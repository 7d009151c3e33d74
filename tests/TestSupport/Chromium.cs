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
            var run = await ChildProcess.RunAsync(
                ExternalTools.Require(ExternalTools.Chromium),
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                    "--user-data-dir=" + profile.FullName, "--dump-dom", new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri,
                ],
                TimeSpan.FromSeconds(90));
            if (run.ExitCode != 0 || run.Stdout.Length == 0)
            {
                throw new InvalidOperationException($"chromium --dump-dom {htmlFile} exited {run.ExitCode} with {run.Stdout.Length} characters: {run.Stderr}");
            }

            return run.Stdout;
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
