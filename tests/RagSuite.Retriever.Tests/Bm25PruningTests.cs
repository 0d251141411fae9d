using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

/// <summary>
/// Pruned top-k BM25 against exhaustive scoring on randomised corpora: Zipf-distributed terms, so the commonest
/// behave like stop words found in most points; duplicated points, so scores tie and the point id decides;
/// removals and re-adds, so lists carry removed postings and get compacted.
/// </summary>
public sealed class Bm25PruningTests
{
    private const int Vocabulary = 300;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 10)]
    [InlineData(4, 100)]
    public void Pruned_top_k_has_the_ids_scores_and_order_of_exhaustive_scoring(int seed, int k)
    {
        var random = new Random(seed);
        var (scorer, ids) = Corpus(random, points: 4000);

        for (var q = 0; q < 150; q++)
        {
            var query = Query(random, stopWordHeavy: q % 2 == 0);
            Func<int, bool> accept = q % 3 == 0 ? slot => slot % 3 != 0 : _ => true;

            var expected = Exhaustive(scorer, query, k, accept, ids);
            var pruned = scorer.TopK(query, k, accept, slot => ids[slot]);

            Assert.Equal(expected, pruned);
        }
    }

    [Fact]
    public void Tied_scores_are_ordered_by_point_id_at_the_cut()
    {
        var scorer = new Bm25Scorer(0.9f, 0.4f);
        string[] ids = ["m", "c", "x", "a", "q"];
        for (var slot = 0; slot < ids.Length; slot++) scorer.Add(slot, Points.Terms("same words here"));

        var top = scorer.TopK(Points.Terms("words"), 3, _ => true, slot => ids[slot]);

        Assert.Equal(["a", "c", "m"], top.Select(h => ids[h.Key]));
    }

    [Fact]
    public void Single_point_scores_equal_the_exhaustive_ones()
    {
        var random = new Random(7);
        var (scorer, _, vectors) = CorpusWithVectors(random, points: 500);
        var query = Query(random, stopWordHeavy: true);

        var all = scorer.Score(query, _ => true);

        foreach (var (slot, vector) in vectors)
        {
            Assert.Equal(all.TryGetValue(slot, out var score) ? score : null, scorer.ScoreOne(query, slot, vector));
        }
    }

    private static List<KeyValuePair<int, float>> Exhaustive(Bm25Scorer scorer, SparseVector query, int k, Func<int, bool> accept, Dictionary<int, string> ids) =>
        [.. scorer.Score(query, accept).OrderByDescending(s => s.Value).ThenBy(s => ids[s.Key], StringComparer.Ordinal).Take(k)];

    private static (Bm25Scorer Scorer, Dictionary<int, string> Ids) Corpus(Random random, int points)
    {
        var (scorer, ids, _) = CorpusWithVectors(random, points);
        return (scorer, ids);
    }

    private static (Bm25Scorer Scorer, Dictionary<int, string> Ids, Dictionary<int, SparseVector> Vectors) CorpusWithVectors(Random random, int points)
    {
        var scorer = new Bm25Scorer(0.9f, 0.4f);
        var ids = new Dictionary<int, string>();
        var vectors = new Dictionary<int, SparseVector>();
        var slot = 0;
        void Add(SparseVector vector)
        {
            scorer.Add(slot, vector);
            ids[slot] = $"p{random.Next(1_000_000):D6}-{slot}";
            vectors[slot] = vector;
            slot++;
        }
        for (var i = 0; i < points; i++)
        {
            // Every tenth point repeats an earlier one exactly, so equal scores are common.
            Add(i % 10 == 9 && vectors.Count > 0 ? vectors.ElementAt(random.Next(vectors.Count)).Value : Point(random));
        }
        // Remove most of the first half and add more, so lists hold removed postings and some get compacted.
        foreach (var removed in vectors.Keys.Where(s => s < points / 2 && random.NextDouble() < 0.8).ToList())
        {
            scorer.Remove(removed, vectors[removed]);
            vectors.Remove(removed);
        }
        for (var i = 0; i < points / 4; i++) Add(Point(random));
        return (scorer, ids, vectors);
    }

    private static SparseVector Point(Random random)
    {
        var counts = new Dictionary<uint, float>();
        var length = random.Next(3, 80);
        for (var i = 0; i < length; i++)
        {
            var term = Zipf(random);
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }
        return Vector(counts);
    }

    private static SparseVector Query(Random random, bool stopWordHeavy)
    {
        var counts = new Dictionary<uint, float>();
        var length = random.Next(1, 9);
        for (var i = 0; i < length; i++)
        {
            var term = stopWordHeavy ? Zipf(random) : (uint)random.Next(Vocabulary);
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }
        if (random.NextDouble() < 0.2) counts[Vocabulary + 5] = 1; // a term no point has
        return Vector(counts);
    }

    private static SparseVector Vector(Dictionary<uint, float> counts)
    {
        var vector = new SparseVector();
        foreach (var (term, count) in counts)
        {
            vector.Indices.Add(term);
            vector.Values.Add(count);
        }
        return vector;
    }

    /// <summary>Term t with probability proportional to 1 / (t + 1): the first few are in most points.</summary>
    private static uint Zipf(Random random)
    {
        var harmonic = 0.0;
        for (var t = 1; t <= Vocabulary; t++) harmonic += 1.0 / t;
        var target = random.NextDouble() * harmonic;
        for (var t = 1; t <= Vocabulary; t++)
        {
            target -= 1.0 / t;
            if (target <= 0) return (uint)(t - 1);
        }
        return Vocabulary - 1;
    }
}
