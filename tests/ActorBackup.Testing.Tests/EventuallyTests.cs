using System.Diagnostics;

namespace ActorBackup.Testing.Tests;

public sealed class EventuallyTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task An_assertion_that_starts_passing_before_the_deadline_passes()
    {
        var attempts = 0;

        await Eventually.Passes(() => Assert.True(++attempts >= 3, $"attempt {attempts}"), TimeSpan.FromSeconds(30), Poll);

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task An_async_attempt_returns_its_value_once_it_stops_throwing()
    {
        var attempts = 0;

        var value = await Eventually.Passes(async () =>
        {
            await Task.Yield();
            Assert.True(++attempts >= 2);
            return attempts * 10;
        }, TimeSpan.FromSeconds(30), Poll);

        Assert.Equal(20, value);
    }

    [Fact]
    public async Task An_assertion_that_never_passes_fails_with_its_last_message_and_how_long_it_waited()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Passes(() => Assert.Fail($"attempt {++attempts} saw nothing"), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(20), factor: 1));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"gave up after {clock.Elapsed}");
        Assert.Matches(@"^Still failing after \d+\.\d+ s and \d+ attempts \(patience 0\.3 s\): FailException: attempt \d+ saw nothing$", e.Message);
        Assert.EndsWith($"attempt {attempts} saw nothing", e.Message);
        Assert.IsType<Xunit.Sdk.FailException>(e.InnerException);
        Assert.InRange(attempts, 2, 17);
    }

    [Fact]
    public async Task The_dilation_factor_stretches_the_deadline_and_is_named_in_the_failure()
    {
        var clock = Stopwatch.StartNew();
        var ready = clock.Elapsed + TimeSpan.FromMilliseconds(400);

        // Patience 0.2 s, passing after 0.4 s: only the factor of 25 leaves room for it.
        await Eventually.Passes(() => Assert.True(clock.Elapsed >= ready), TimeSpan.FromMilliseconds(200), Poll, factor: 25);
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Passes(() => Assert.Fail("never"), TimeSpan.FromMilliseconds(100), Poll, factor: 2.5));

        Assert.Matches(@"^Still failing after \d+\.\d+ s and \d+ attempts \(patience 0\.1 s × dilation 2\.5 = 0\.25 s\): FailException: never$", e.Message);
        Assert.True(clock.Elapsed >= ready + TimeSpan.FromMilliseconds(250), $"gave up {clock.Elapsed - ready} after the first wait");
    }

    [Fact]
    public async Task Without_dilation_an_assertion_passing_only_after_the_deadline_fails()
    {
        var clock = Stopwatch.StartNew();
        var ready = clock.Elapsed + TimeSpan.FromSeconds(10);

        await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Passes(() => Assert.True(clock.Elapsed >= ready), TimeSpan.FromMilliseconds(200), Poll, factor: 1));
    }

    [Fact]
    public async Task An_attempt_that_passes_at_once_is_run_once_and_does_not_wait()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        await Eventually.Passes(() => { attempts++; }, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        Assert.Equal(1, attempts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_attempt_that_knows_it_will_not_pass_ends_the_wait_at_once()
    {
        var attempts = 0;
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<WillNotPassException>(() => Eventually.Passes(() =>
        {
            if (++attempts == 2) throw new WillNotPassException("the node exited with code 134");
            Assert.Fail("not up yet");
        }, TimeSpan.FromMinutes(1), Poll));

        Assert.Equal("the node exited with code 134", e.Message);
        Assert.Equal(2, attempts);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("", 1.0)]
    [InlineData("1", 1.0)]
    [InlineData("2.5", 2.5)]
    [InlineData("0.5", 0.5)]
    public void The_dilation_variable_reads_as_a_positive_factor_defaulting_to_one(string? value, double factor) =>
        Assert.Equal(factor, Dilation.Parse(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("fast")]
    [InlineData("NaN")]
    [InlineData("2,5")]
    public void A_dilation_that_is_not_a_positive_number_is_refused_naming_the_variable(string value)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Dilation.Parse(value));

        Assert.Equal(
            $"ACTORBACKUP_TEST_DILATION={value} is not a positive number: it multiplies every test deadline (unset or 1 keeps them as written, 3 makes them three times as long).",
            e.Message);
    }

    [Fact]
    public void The_run_wide_factor_is_the_one_the_environment_variable_names()
    {
        Assert.Equal(Dilation.Parse(Environment.GetEnvironmentVariable(Dilation.Variable)), Dilation.Factor);
        Assert.Equal(TimeSpan.FromSeconds(2 * Dilation.Factor), Dilation.Dilate(TimeSpan.FromSeconds(2)));
    }
}
