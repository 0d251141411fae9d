using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval.Index;

namespace RagSuite.Retriever.Tests;

public sealed class CollectionIndexTests
{
    private static readonly Bm25Parameters Bm25 = new() { K1 = 0.9f, B = 0.4f };

    private static CollectionIndex Index(int dimension = 0, params DocumentWrite[] documents)
    {
        var index = MemoryPointSource.NewIndex(dimension, Bm25);
        foreach (var document in documents) index.Apply(document);
        return index;
    }

    private static List<string> Ids(SearchResponse response) => [.. response.Hits.Select(h => h.Point.Id)];

    [Fact]
    public void Writing_a_document_again_replaces_all_its_points()
    {
        var index = Index(0, Points.Document("a", "supersonic flow", "boundary layer", "shock wave"));

        index.Apply(Points.Document("a", "heat transfer"));

        Assert.Equal(1, index.PointCount);
        Assert.Empty(index.Search(Points.Search("x", "shock boundary"), FusionMode.SparseOnly).Hits);
        Assert.Equal(["a#0"], Ids(index.Search(Points.Search("x", "heat"), FusionMode.SparseOnly)));
        Assert.Equal(1, index.FindDocument("a")!.ChunkCount);
    }

    [Fact]
    public void A_write_without_points_deletes_the_document()
    {
        var index = Index(0, Points.Document("a", "lift"), Points.Document("b", "lift drag"));

        var removed = index.Apply(new DocumentWrite { DocumentId = "a" });

        Assert.Equal(1, removed);
        Assert.Null(index.FindDocument("a"));
        Assert.Equal(["b#0"], Ids(index.Search(Points.Search("x", "lift"), FusionMode.SparseOnly)));
    }

    [Fact]
    public void Hits_come_best_first_and_stop_at_top_k()
    {
        var index = Index(0,
            Points.Document("one", "wing"),
            Points.Document("two", "wing wing flutter"),
            Points.Document("three", "wing flutter flutter aeroelastic"));

        var hits = index.Search(Points.Search("x", "flutter wing", topK: 2), FusionMode.SparseOnly).Hits;

        Assert.Equal(2, hits.Count);
        Assert.True(hits[0].Score >= hits[1].Score);
        Assert.All(hits, h => Assert.Equal(h.Score, h.SparseScore));
        Assert.All(hits, h => Assert.Empty(h.Point.Dense));
        Assert.All(hits, h => Assert.Null(h.Point.Sparse));
    }

    [Fact]
    public void Equal_scores_are_ordered_by_point_id_whatever_the_insertion_order()
    {
        var forward = Index(0, Points.Document("b", "same text"), Points.Document("a", "same text"), Points.Document("c", "same text"));
        var backward = Index(0, Points.Document("c", "same text"), Points.Document("a", "same text"), Points.Document("b", "same text"));

        var query = Points.Search("x", "same");
        Assert.Equal(["a#0", "b#0", "c#0"], Ids(forward.Search(query, FusionMode.SparseOnly)));
        Assert.Equal(Ids(forward.Search(query, FusionMode.SparseOnly)), Ids(backward.Search(query, FusionMode.SparseOnly)));
    }

    [Fact]
    public void Group_by_document_keeps_the_best_point_of_each_document()
    {
        var index = Index(0, Points.Document("long", "flutter", "flutter flutter", "other"), Points.Document("short", "flutter theory"));

        var request = Points.Search("x", "flutter");
        request.GroupByDocument = true;

        Assert.Equal(["long#1", "short#0"], Ids(index.Search(request, FusionMode.SparseOnly)));
    }

    [Theory]
    [InlineData(FusionMode.SparseOnly)]
    [InlineData(FusionMode.Weighted)]
    [InlineData(FusionMode.Rrf)]
    public void After_many_deletes_and_rewrites_results_equal_those_of_an_index_built_fresh(FusionMode fusion)
    {
        string[] words = ["wing", "flow", "the", "of", "shock", "heat", "flutter", "layer", "a", "drag", "lift", "nozzle"];
        var random = new Random(11);
        DocumentWrite Document(int id)
        {
            var chunks = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(2, 12)).Select(_ => words[random.Next(words.Length)])));
            var write = Points.Document($"d{id}", [.. chunks]);
            return write.WithDense([.. write.Points.Select(_ => new[] { random.NextSingle(), random.NextSingle() + 0.1f })]);
        }
        var index = Index(2);
        var final = new Dictionary<int, DocumentWrite>();
        for (var id = 0; id < 3000; id++) index.Apply(final[id] = Document(id));
        for (var id = 0; id < 2600; id++)
        {
            if (id % 5 == 0) index.Apply(final[id] = Document(id)); // rewritten
            else
            {
                index.Apply(new DocumentWrite { DocumentId = $"d{id}" }); // deleted, enough to renumber the slots
                final.Remove(id);
            }
        }
        var fresh = Index(2, [.. final.Values]);

        foreach (var query in new[] { "wing the of", "flutter", "a the of flow heat", "nozzle drag lift shock" })
        {
            foreach (var group in new[] { false, true })
            {
                var request = Points.Search("x", query, topK: 20);
                request.GroupByDocument = group;
                request.DenseQuery.Add([0.6f, 0.8f]);
                var expected = fresh.Search(request, fusion, 0.3f);
                var actual = index.Search(request, fusion, 0.3f);
                Assert.Equal(expected.Hits.Select(h => (h.Point.Id, h.Score, h.SparseScore, h.DenseScore)),
                    actual.Hits.Select(h => (h.Point.Id, h.Score, h.SparseScore, h.DenseScore)));
            }
        }
        Assert.Equal(fresh.PointCount, index.PointCount);
    }

    [Fact]
    public void Dense_search_ranks_by_cosine_similarity()
    {
        var index = Index(2,
            Points.Document("east", "a").WithDense([1, 0]),
            Points.Document("north", "b").WithDense([0, 5]),
            Points.Document("northeast", "c").WithDense([3, 3]));

        var request = new SearchRequest { Collection = "x", DenseQuery = { 0.1f, 1f }, TopK = 3 };
        var hits = index.Search(request, FusionMode.DenseOnly).Hits;

        Assert.Equal(["north#0", "northeast#0", "east#0"], hits.Select(h => h.Point.Id));
        Assert.Equal(0.1f / MathF.Sqrt(1.01f), hits[2].Score, 4);
    }

    [Fact]
    public void Reciprocal_rank_fusion_rewards_points_both_rankings_agree_on()
    {
        var index = Index(2,
            Points.Document("lexical", "rotor blade rotor").WithDense([0, 1]),     // sparse 1st, dense 3rd
            Points.Document("semantic", "propeller").WithDense([0.8f, 0.6f]),     // dense 2nd only
            Points.Document("both", "rotor").WithDense([1, 0]));                  // sparse 2nd, dense 1st

        var request = new SearchRequest { Collection = "x", DenseQuery = { 1, 0 }, SparseQuery = Points.Terms("rotor"), TopK = 3 };
        var hits = index.Search(request, FusionMode.Rrf).Hits;

        Assert.Equal("both#0", hits[0].Point.Id);
        Assert.Equal(1f / 61 + 1f / 62, hits[0].Score, 6);
        Assert.True(hits[0].HasDenseScore);
        Assert.True(hits[0].HasSparseScore);
    }

    [Fact]
    public void Weighted_fusion_follows_the_dense_weight()
    {
        var index = Index(2,
            Points.Document("lexical", "rotor rotor rotor").WithDense([0, 1]),
            Points.Document("semantic", "rotor propeller hub spinner").WithDense([1, 0]));
        var request = new SearchRequest { Collection = "x", DenseQuery = { 1, 0 }, SparseQuery = Points.Terms("rotor"), TopK = 2 };

        Assert.Equal("semantic#0", index.Search(request, FusionMode.Weighted, denseWeight: 0.9f).Hits[0].Point.Id);
        Assert.Equal("lexical#0", index.Search(request, FusionMode.Weighted, denseWeight: 0.1f).Hits[0].Point.Id);
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        { """{"must": [{"key": "lang", "equals": "en"}]}""", ["en-2019", "en-2023"] },
        { """{"must_not": [{"key": "lang", "equals": "en"}]}""", ["de-2021", "untagged"] },
        { """{"must": [{"key": "year", "range": {"gte": 2020}}]}""", ["de-2021", "en-2023"] },
        { """{"must": [{"key": "year", "range": {"gt": 2019, "lt": 2023}}]}""", ["de-2021"] },
        { """{"must": [{"key": "tags", "equals": "wind"}]}""", ["en-2019", "de-2021"] },
        { """{"must": [{"key": "tags", "any_of": ["heat", "wind"]}]}""", ["en-2019", "de-2021", "en-2023"] },
        { """{"must": [{"key": "document_id", "any_of": ["untagged", "en-2023"]}]}""", ["en-2023", "untagged"] },
        { """{"must": [{"key": "reviewed", "equals": true}]}""", ["en-2023"] },
        { """{"must": [{"key": "year", "equals": 2021}]}""", ["de-2021"] },
        { """{"must": [{"key": "lang", "equals": "fr"}]}""", [] },
        { """{"must": [{"key": "year", "equals": "2021"}]}""", [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Filters_select_points_by_metadata(string filterJson, string[] expected)
    {
        static Struct Meta(string json) => Struct.Parser.ParseJson(json);
        var index = Index(0,
            Points.Document("en-2019", Meta("""{"lang": "en", "year": 2019, "tags": ["wind", "tunnel"]}"""), "measurement data"),
            Points.Document("de-2021", Meta("""{"lang": "de", "year": 2021, "tags": ["wind"]}"""), "measurement data"),
            Points.Document("en-2023", Meta("""{"lang": "en", "year": 2023, "tags": ["heat"], "reviewed": true}"""), "measurement data"),
            Points.Document("untagged", "measurement data"));
        var request = Points.Search("x", "measurement");
        request.Filter = Filter.Parser.ParseJson(filterJson);

        var found = index.Search(request, FusionMode.SparseOnly).Hits.Select(h => h.Point.DocumentId).Order();

        Assert.Equal(expected.Order(), found);
    }
}
