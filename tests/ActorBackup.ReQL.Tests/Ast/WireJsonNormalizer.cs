using System.Text.Json.Nodes;

namespace ActorBackup.ReQL.Tests.Ast;

/// <summary>
/// Makes two encodings of one query comparable: function variable ids are arbitrary (the JavaScript driver
/// counts from 0 per process, we count from 1), so they are renumbered 0, 1, 2… in order of appearance.
/// </summary>
public static class WireJsonNormalizer
{
    private const int MakeArray = 2, Var = 10, Func = 69;

    public static string Normalize(string wireJson)
    {
        var root = JsonNode.Parse(wireJson);
        var ids = new Dictionary<long, long>();
        Walk(root, ids);
        return root?.ToJsonString() ?? "null";
    }

    private static void Walk(JsonNode? node, Dictionary<long, long> ids)
    {
        switch (node)
        {
            case JsonArray term when IsTerm(term, Func) && term[1] is JsonArray { Count: > 0 } funcArgs
                                     && funcArgs[0] is JsonArray paramList && IsTerm(paramList, MakeArray):
                var parameters = (JsonArray)paramList[1]!;
                for (var i = 0; i < parameters.Count; i++)
                    parameters[i] = Renumber(parameters[i]!.GetValue<long>(), ids);
                for (var i = 1; i < funcArgs.Count; i++)
                    Walk(funcArgs[i], ids);
                break;
            case JsonArray term when IsTerm(term, Var) && term[1] is JsonArray { Count: 1 } varArgs:
                varArgs[0] = Renumber(varArgs[0]!.GetValue<long>(), ids);
                break;
            case JsonArray array:
                foreach (var item in array)
                    Walk(item, ids);
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                    Walk(value, ids);
                break;
        }
    }

    private static bool IsTerm(JsonArray array, int type) =>
        array.Count >= 2 && array[0] is JsonValue first && first.TryGetValue(out int t) && t == type && array[1] is JsonArray;

    private static long Renumber(long id, Dictionary<long, long> ids)
    {
        if (!ids.TryGetValue(id, out var renumbered))
            ids[id] = renumbered = ids.Count;
        return renumbered;
    }
}
