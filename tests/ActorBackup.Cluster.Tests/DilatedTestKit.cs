using System.Globalization;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests;

/// <summary>
/// Akka's TestKit with <c>akka.test.timefactor</c> set to <see cref="Dilation.Factor"/>, so <c>Dilated</c>,
/// <c>AwaitAssert</c> and <c>ExpectMsg</c> stretch by the same factor as <see cref="Eventually"/>. Every TestKit spec
/// of this project derives from it (DilatedTestKitSpec checks).
/// </summary>
public abstract class DilatedTestKit(Config config, string? systemName = null)
    : Akka.TestKit.Xunit2.TestKit(WithTimeFactor(config), systemName)
{
    protected DilatedTestKit() : this(Config.Empty)
    {
    }

    protected DilatedTestKit(string hocon) : this(ConfigurationFactory.ParseString(hocon))
    {
    }

    private static Config WithTimeFactor(Config config) =>
        ConfigurationFactory.ParseString($"akka.test.timefactor = {Dilation.Factor.ToString(CultureInfo.InvariantCulture)}").WithFallback(config);
}
