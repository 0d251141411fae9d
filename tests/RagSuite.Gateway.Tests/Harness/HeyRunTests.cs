namespace RagSuite.Gateway.Tests.Harness;

/// <summary>hey's CSV is read by column name, and what it leaves out (transport errors) is counted, not lost.</summary>
public sealed class HeyRunTests
{
    private const string Csv = """
        response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset
        0.0118,0.0003,0.0000,0.0000,0.0110,0.0005,200,0.2435
        0.2500,0.0000,0.0000,0.0002,0.2490,0.0008,503,0.4417
        0.0012,0.0000,0.0000,0.0000,0.0009,0.0000,200,0.6522

        """;

    [Fact]
    public void Rows_become_latency_in_milliseconds_status_and_start()
    {
        var run = HeyRun.FromCsv(3, Csv);

        Assert.Equal([11.8, 250, 1.2], run.Responses.Select(r => Math.Round(r.LatencyMs, 3)));
        Assert.Equal([200, 503, 200], run.Responses.Select(r => r.Status));
        Assert.Equal(0.6522, run.Responses[^1].StartSeconds);
        Assert.Equal(0, run.Errors);
    }

    [Fact]
    public void Requests_sent_without_a_row_are_errors()
    {
        Assert.Equal(2, HeyRun.FromCsv(5, Csv).Errors);
        Assert.Equal(4, HeyRun.FromCsv(4, "").Errors);
    }

    [Fact]
    public void A_hey_without_the_status_column_is_refused_by_name()
    {
        var error = Assert.Throws<FormatException>(() => HeyRun.FromCsv(1, "response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read\n0.1,0,0,0,0.1,0\n"));
        Assert.Contains("status-code", error.Message);
    }

    [Fact]
    public void A_load_holds_only_with_every_answer_2xx_within_the_p99_budget_and_on_schedule()
    {
        var load = new LoadResult(3 / 0.6, 0.6, 1, [HeyRun.FromCsv(3, Csv)]);

        Assert.Equal(1, load.ServerErrors);
        Assert.Equal(250, load.P99Ms, 3); // nearest rank: the largest of three
        Assert.Equal(11.8, load.P50Ms, 3);
        Assert.True(load.KeptUp);
        Assert.False(load.Holds(300));
    }
}
