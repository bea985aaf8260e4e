namespace ActorBackup.Cluster.Settings;

/// <summary>The RethinkDB login of the sources. Its text form never shows the password, so settings can be logged.</summary>
public sealed record SourceCredentials(string User, string Password)
{
    public override string ToString() => $"{User} (password {(Password.Length == 0 ? "empty" : "set")})";
}
