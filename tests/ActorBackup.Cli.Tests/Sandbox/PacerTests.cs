using ActorBackup.Sandbox.Federation;

namespace ActorBackup.Cli.Tests.Sandbox;

public sealed class PacerTests
{
    [Fact]
    public void The_first_block_is_due_at_once_and_the_rest_follow_the_rate()
    {
        Assert.Equal(1, Pacer.DueBy(TimeSpan.Zero, 4));
        Assert.Equal(1, Pacer.DueBy(TimeSpan.FromMilliseconds(249), 4));
        Assert.Equal(2, Pacer.DueBy(TimeSpan.FromMilliseconds(250), 4));
        Assert.Equal(41, Pacer.DueBy(TimeSpan.FromSeconds(10), 4));
    }

    [Fact]
    public void Each_block_is_due_at_its_place_in_the_schedule_so_a_stall_is_caught_up()
    {
        Assert.Equal(TimeSpan.FromSeconds(2.5), Pacer.DueAt(5, 2));
        // Nothing written for three seconds at 2 blocks/s: seven blocks are due together, not one per half second from now.
        Assert.Equal(7, Pacer.DueBy(TimeSpan.FromSeconds(3), 2));
    }
}
