using System.Text.Json;
using ActorBackup.Testing;
using Xunit;

namespace ActorBackup.ReQL.Tests.Ast;

/// <summary>Runs AstInteropCases.js once with the official JavaScript driver and keeps what build() gave for each case.</summary>
public sealed class JsDriverWireJsonFixture : IAsyncLifetime
{
    private Dictionary<string, string> _wireJson = [];

    public IReadOnlyDictionary<string, string> WireJson => _wireJson;

    public async Task InitializeAsync()
    {
        var scriptPath = Path.Combine(RepoPaths.Root, "tests", "ActorBackup.ReQL.Tests", "Ast", "AstInteropCases.js");
        var script = await File.ReadAllTextAsync(scriptPath);
        // Generous: the first run may install the driver with `npm ci`.
        var output = await NodeTools.RunScriptAsync(script, [], TimeSpan.FromMinutes(3));
        using var document = JsonDocument.Parse(output);
        _wireJson = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
