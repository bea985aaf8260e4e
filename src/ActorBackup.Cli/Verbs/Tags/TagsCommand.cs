namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>What `actorbackup tags` is asked to do: the word after `tags`.</summary>
internal enum TagsCommand
{
    Plan,
    Apply,
    Check,
    Snapshot,
}
