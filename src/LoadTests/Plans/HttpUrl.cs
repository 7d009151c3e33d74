namespace PaySim.LoadTests.Plans;

/// <summary>
/// A URL the harness calls (a wallet instance, the simulator's control plane, the SMS gateway, an OTLP collector), from a
/// flag or a plan: absolute http(s) with a host and a port of 1..65535, no user name or password (they would be printed by
/// <c>--dry-run</c> and written into every report), no query or fragment (the harness appends its own paths; they would be
/// dropped or mangled). Each refusal is one line naming the field.
/// </summary>
internal static class HttpUrl
{
    public static Uri Parse(string text, string field, string example = "http://localhost:7300")
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw new PlanException($"{field}: \"{Shown(text)}\" is not an http(s) URL, e.g. {example}.");
        }

        if (uri.UserInfo.Length > 0)
        {
            // Never echo the credentials themselves.
            throw new PlanException($"{field}: a user name or password in the URL is not supported (it would be printed and written into the reports); give {uri.Scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')} without it.");
        }

        if (uri.Port is < 1 or > 65535)
        {
            throw new PlanException($"{field}: \"{Shown(text)}\" has port {uri.Port}; a port is 1..65535, e.g. {example}.");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new PlanException($"{field}: \"{Shown(text)}\" has a {(uri.Query.Length > 0 ? "query (?…)" : "fragment (#…)")}; give the base URL only, e.g. {example}.");
        }

        return uri;
    }

    private static string Shown(string text) => text.Length > 120 ? text[..117] + "..." : text;
}
