namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>The failures `actorbackup drill` knows, by their command-line names.</summary>
public enum DrillScenario
{
    /// <summary>SIGKILL one backup node other than the one answering the admin URL.</summary>
    KillNode,

    /// <summary>SIGKILL every backup node of one region other than the answering node's.</summary>
    LoseRegion,

    /// <summary>SIGKILL the source (RethinkDB) given by --source-pid.</summary>
    LoseSource,

    /// <summary>Restore into a scratch database and compare it with the live source.</summary>
    RestoreCheck,
}

public static class DrillScenarios
{
    public const string Names = "kill-node, lose-region, lose-source, restore-check";

    public static bool TryParse(string text, out DrillScenario scenario)
    {
        DrillScenario? parsed = text switch
        {
            "kill-node" => DrillScenario.KillNode,
            "lose-region" => DrillScenario.LoseRegion,
            "lose-source" => DrillScenario.LoseSource,
            "restore-check" => DrillScenario.RestoreCheck,
            _ => null,
        };
        scenario = parsed ?? default;
        return parsed.HasValue;
    }

    public static string NameOf(DrillScenario scenario) => scenario switch
    {
        DrillScenario.KillNode => "kill-node",
        DrillScenario.LoseRegion => "lose-region",
        DrillScenario.LoseSource => "lose-source",
        _ => "restore-check",
    };
}
