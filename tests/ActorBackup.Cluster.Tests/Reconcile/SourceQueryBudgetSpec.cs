using ActorBackup.Cluster.Sources;

namespace ActorBackup.Cluster.Tests.Reconcile;

public sealed class SourceQueryBudgetSpec
{
    private TimeSpan _now = TimeSpan.FromSeconds(100);

    [Fact]
    public void It_allows_its_rate_and_no_more_and_an_idle_stretch_saves_at_most_one_seconds_worth()
    {
        var budget = new SourceQueryBudget(5, () => _now);

        Assert.Equal(5, TakeAll(budget));
        var wait = budget.TryTake();
        Assert.InRange(wait.TotalMilliseconds, 150, 201);

        _now += TimeSpan.FromMilliseconds(400);
        Assert.Equal(2, TakeAll(budget));

        _now += TimeSpan.FromHours(1);
        Assert.Equal(5, TakeAll(budget));
        Assert.Equal(12, budget.Taken);
    }

    [Fact]
    public void A_rate_below_one_per_second_waits_for_the_whole_query()
    {
        var budget = new SourceQueryBudget(0.5, () => _now);

        Assert.Equal(TimeSpan.Zero, budget.TryTake());
        Assert.InRange(budget.TryTake().TotalSeconds, 1.99, 2.01);
        _now += TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.Zero, budget.TryTake());
    }

    [Fact]
    public async Task TakeAsync_waits_until_the_budget_allows()
    {
        var budget = new SourceQueryBudget(20);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 30; i++) await budget.TakeAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"30 queries at 20/s took {watch.Elapsed}");
    }

    [Fact]
    public void A_budget_of_nothing_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceQueryBudget(0));
    }

    private static int TakeAll(SourceQueryBudget budget)
    {
        var taken = 0;
        while (budget.TryTake() == TimeSpan.Zero) taken++;
        return taken;
    }
}
