namespace ActorBackup.Cli.CommandLine;

/// <summary>Renders --help for the executable and for each verb from the declared options.</summary>
public static class HelpWriter
{
    public static void WriteOverview(TextWriter w, IReadOnlyList<IVerb> verbs)
    {
        w.WriteLine("actorbackup: continuous, verified, point-in-time backup of a BigchainDB federation's RethinkDB ledger.");
        w.WriteLine();
        w.WriteLine("Usage: actorbackup VERB [OPTIONS]    (actorbackup VERB --help for each verb)");
        w.WriteLine();
        w.WriteLine("Verbs:");
        var width = verbs.Select(v => v.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var v in verbs)
            w.WriteLine($"  {v.Name.PadRight(width)}  {v.Summary}");
        w.WriteLine();
        w.WriteLine("Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 verification found a problem, 130 interrupted.");
    }

    public static void WriteVerb(TextWriter w, IVerb verb)
    {
        w.WriteLine($"actorbackup {verb.Name}: {verb.Summary}");
        w.WriteLine();
        w.WriteLine($"Usage: actorbackup {verb.Name} [OPTIONS]");
        w.WriteLine();
        w.WriteLine("Options:");
        var all = verb.Options.Append(OptionSpec.Flag("help", "Show this help."));
        var left = all.Select(o => o.IsFlag ? $"--{o.Name}" : $"--{o.Name} {o.ValueName}").ToList();
        var width = left.Max(s => s.Length);
        var i = 0;
        foreach (var o in all)
        {
            var extra = o.Required ? " (required)" : o.Default is { } d ? $" (default: {d})" : "";
            w.WriteLine($"  {left[i++].PadRight(width)}  {o.Help}{extra}");
        }
        if (verb.Examples.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("Examples:");
            foreach (var e in verb.Examples)
                w.WriteLine($"  {e}");
        }
    }
}
