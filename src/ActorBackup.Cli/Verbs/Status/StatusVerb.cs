using System.Net.Http;
using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cli.Verbs.Status;

/// <summary>`actorbackup status`: what the cluster holds, from any node's admin endpoint.</summary>
public sealed class StatusVerb : IVerb
{
    public string Name => "status";

    public string Summary => "Show the cluster: members, replicas per shard, restorable point, RPO, quarantine.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("admin", "URL", "Admin endpoint of any node.", Default: "http://127.0.0.1:8558"),
        OptionSpec.Flag("json", "Print the status JSON as the node returned it."),
        new("timeout", "SECONDS", "Give up on the endpoint after this long.", Default: "10"),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup status",
        "actorbackup status --admin http://10.0.0.5:8558 --json",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (url, timeout) = Settings(args);
        var json = await Fetch(url, timeout, cancellationToken);
        if (args.GetFlag("json"))
        {
            await output.WriteAsync(json.EndsWith('\n') ? json : json + "\n");
            return ExitCodes.Ok;
        }
        ClusterStatus status;
        try
        {
            status = StatusJson.Read(json);
        }
        catch (JsonException e)
        {
            throw new CliError($"{url} did not return a cluster status: {e.Message}");
        }
        StatusReport.Write(output, status);
        return ExitCodes.Ok;
    }

    private static async Task<string> Fetch(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new CliError($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body.Split('\n')[0]}");
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new CliError($"cannot reach the admin endpoint {url}: {e.Message}", hint: "is a node running there? see actorbackup.admin.endpoint");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliError($"the admin endpoint {url} did not answer within {timeout.TotalSeconds:0} s");
        }
    }

    private static (Uri Url, TimeSpan Timeout) Settings(ParsedArgs args) =>
        (new Uri(args.GetUrl("admin"), "/status"), TimeSpan.FromSeconds(args.GetInt("timeout", 1, 3600)));
}
