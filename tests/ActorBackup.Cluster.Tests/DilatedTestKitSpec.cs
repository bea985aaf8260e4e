using ActorBackup.Testing;

namespace ActorBackup.Cluster.Tests;

public sealed class DilatedTestKitSpec() : DilatedTestKit("akka.loglevel = OFF")
{
    [Fact]
    public void The_testkit_time_factor_is_the_run_wide_dilation()
    {
        Assert.Equal(Dilation.Factor, TestKitSettings.TestTimeFactor);
        Assert.Equal(Dilation.Dilate(TimeSpan.FromSeconds(3)), Dilated(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Every_testkit_spec_of_this_project_is_dilated_by_the_same_factor()
    {
        var undilated = typeof(DilatedTestKitSpec).Assembly.GetTypes()
            .Where(t => typeof(Akka.TestKit.Xunit2.TestKit).IsAssignableFrom(t) && !typeof(DilatedTestKit).IsAssignableFrom(t))
            .Select(t => t.Name);

        Assert.Empty(undilated);
    }
}
