using System.Text.Json;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Admin.Contract.Members;

/// <summary>
/// The answer of <c>POST /members/leave?address=ADDR</c> and <c>POST /members/down?address=ADDR</c> (admin token): the
/// member the node asked the cluster to move out, and how. A leaving member hands its replicas over and stops; a downed
/// one is removed at once (for a node that is gone and will not come back).
/// </summary>
/// <param name="Address">The member's cluster address, as status lists it.</param>
/// <param name="Action"><see cref="Leave"/> or <see cref="Down"/>.</param>
public sealed record MemberChange(string Address, string Action)
{
    public const string Path = "members";
    public const string Leave = "leave";
    public const string Down = "down";

    /// <summary>The actions, in the order help lists them.</summary>
    public static IReadOnlyList<string> Actions { get; } = [Leave, Down];

    /// <summary>The route of <paramref name="action"/> for <paramref name="address"/>, relative to an admin endpoint's base.</summary>
    public static string RouteOf(string action, string address) => $"{Path}/{action}?address={Uri.EscapeDataString(address)}";

    public string Write() => JsonSerializer.Serialize(this, StatusJson.Options);

    /// <exception cref="JsonException">The text is not a member change.</exception>
    public static MemberChange Read(string json) =>
        JsonSerializer.Deserialize<MemberChange>(json, StatusJson.Options) ?? throw new JsonException("The answer is JSON null.");
}
