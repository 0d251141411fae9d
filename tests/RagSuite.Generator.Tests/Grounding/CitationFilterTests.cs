using RagSuite.Generation.Grounding;

namespace RagSuite.Generator.Tests.Grounding;

public sealed class CitationFilterTests
{
    private static readonly HashSet<int> Sent = [1, 2, 3];

    public static TheoryData<string, string, int[], int> Answers => new()
    {
        { "Paris [1].", "Paris [1].", [1], 0 },
        { "Paris [1][2].", "Paris [1][2].", [1, 2], 0 },
        { "Paris [1, 3].", "Paris [1, 3].", [1, 3], 0 },
        { "Paris [1,3].", "Paris [1,3].", [1, 3], 0 },
        { "Paris [4].", "Paris.", [], 1 },
        { "Paris [1, 4].", "Paris [1].", [1], 1 },
        { "Paris [0] and [99].", "Paris and.", [], 2 },
        { "Paris [2] [7] end.", "Paris [2] end.", [2], 1 },
        { "Arrays like a[i] and [x] stay.", "Arrays like a[i] and [x] stay.", [], 0 },
        { "A list [ 1 ] is not a mark.", "A list [ 1 ] is not a mark.", [], 0 },
        { "Unclosed [2 at the end", "Unclosed [2 at the end", [], 0 },
        { "Numbers [12345] are too long.", "Numbers [12345] are too long.", [], 0 },
        { "Trailing spaces stay   ", "Trailing spaces stay   ", [], 0 },
        { "[3] first.", "[3] first.", [3], 0 },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Marks_are_checked_whole_whatever_the_stream_split(string answer, string expected, int[] cited, int removed)
    {
        // Every way of cutting the answer in two streamed pieces, and one character at a time.
        var splits = Enumerable.Range(0, answer.Length + 1).Select(i => new[] { answer[..i], answer[i..] })
            .Append([.. answer.Select(c => c.ToString())]);
        foreach (var pieces in splits)
        {
            var filter = new CitationFilter(Sent);
            var output = string.Concat(pieces.Select(filter.Push)) + filter.Flush();

            Assert.Equal(expected, output);
            Assert.Equal(cited, filter.Cited);
            Assert.Equal(removed, filter.Removed);
        }
    }

    [Fact]
    public void Numbers_in_a_finished_text_are_read_from_every_mark()
    {
        Assert.Equal([2, 1, 3, 5], CitationFilter.NumbersIn("A [2]. B [1, 3] c[5] [x] [ 4 ]."));
    }
}
