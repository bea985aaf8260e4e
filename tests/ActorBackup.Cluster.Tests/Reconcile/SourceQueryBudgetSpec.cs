using ActorBackup.Cluster.Sources;

namespace ActorBackup.Cluster.Tests.Reconcile;

public sealed class SourceQueryBudgetSpec
{
    private TimeSpan _now = TimeSpan.FromSeconds(100);

    [Fact]
    public void It_allows_its_rate_and_no_more_and_an_idle_stretch_saves_at_most_one_seconds_worth()
    {
        var budget = new SourceQueryBudget(5, 1000, () => _now);

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
        var budget = new SourceQueryBudget(0.5, 1000, () => _now);

        Assert.Equal(TimeSpan.Zero, budget.TryTake());
        Assert.InRange(budget.TryTake().TotalSeconds, 1.99, 2.01);
        _now += TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.Zero, budget.TryTake());
    }

    [Fact]
    public async Task TakeAsync_waits_until_the_budget_allows()
    {
        var budget = new SourceQueryBudget(20, 1);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 30; i++) (await budget.TakeAsync()).Dispose();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"30 queries at 20/s took {watch.Elapsed}");
    }

    [Fact]
    public async Task No_more_queries_than_allowed_are_in_flight_and_a_turn_given_back_lets_the_next_one_go()
    {
        var budget = new SourceQueryBudget(1000, 2);
        var first = await budget.TakeAsync();
        var second = await budget.TakeAsync();

        var third = budget.TakeAsync();
        await Task.Delay(200);
        Assert.False(third.IsCompleted, "a third query went while two were in flight");
        Assert.Equal(2, budget.InFlight);

        first.Dispose();
        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        second.Dispose();
        Assert.Equal(0, budget.InFlight);
    }

    [Fact]
    public async Task A_query_that_gives_up_waiting_leaves_its_slot_free()
    {
        var budget = new SourceQueryBudget(0.1, 1, () => _now);
        (await budget.TakeAsync()).Dispose();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // The rate allows the next query in 10 s, on a clock that does not move: it gives up holding the only slot.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.TakeAsync(cancel.Token));

        Assert.Equal(0, budget.InFlight);
    }

    [Fact]
    public void A_budget_of_nothing_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceQueryBudget(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceQueryBudget(1, 0));
    }

    private static int TakeAll(SourceQueryBudget budget)
    {
        var taken = 0;
        while (budget.TryTake() == TimeSpan.Zero) taken++;
        return taken;
    }
}
