using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Stores;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// The one contract suite, run unchanged against every <see cref="IVectorStore"/> backend: the same points, queries and
/// expected ids. A subclass says how to open its backend, and why it cannot where its server is not available here
/// (then every test skips with that reason). Each test works in a collection of its own, so backends that share a
/// server between tests do not see each other's data.
/// </summary>
public abstract class VectorStoreContractTests : IAsyncLifetime
{
    private const int Dimension = 4;
    private static readonly FusionSettings Sparse = new(FusionMode.SparseOnly, 0.3f, 60);
    private static readonly FusionSettings Dense = new(FusionMode.DenseOnly, 0.3f, 60);
    private static readonly FusionSettings Hybrid = new(FusionMode.Rrf, 0.5f, 60);

    private IVectorStore? _store;
    private readonly string _name = $"contract-{Guid.NewGuid():N}"[..24];

    /// <summary>Why this backend cannot run here, or null when it can.</summary>
    protected abstract string? Unavailable { get; }

    /// <summary>A store over storage this test may fill.</summary>
    protected abstract Task<IVectorStore> OpenAsync();

    /// <summary>Closes the store and opens the same storage again, as a restart would.</summary>
    protected abstract Task<IVectorStore> ReopenAsync(IVectorStore store);

    /// <summary>Releases the store (and whatever else the backend started).</summary>
    protected abstract Task CloseAsync(IVectorStore store);

    public async Task InitializeAsync()
    {
        if (Unavailable is null) _store = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is null) return;
        try
        {
            await _store.DeleteCollectionAsync(_name, CancellationToken.None);
        }
        catch (RagSuiteException e) when (e.Kind == ErrorKind.NotFound)
        {
            // The test deleted it already.
        }
        await CloseAsync(_store);
    }

    private IVectorStore Store
    {
        get
        {
            Skip.If(Unavailable is not null, Unavailable);
            return _store!;
        }
    }

    private static CollectionConfig Config(string tenantKey = "") =>
        new() { DenseDimension = Dimension, Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f }, TenantKey = tenantKey };

    private static DocumentWrite Document(string id, Struct metadata, params (string Text, float[] Dense)[] chunks)
    {
        var write = new DocumentWrite { DocumentId = id, ContentHash = $"hash-{id}-{chunks.Length}" };
        for (var i = 0; i < chunks.Length; i++)
        {
            write.Points.Add(new Point
            {
                Id = $"{id}#{i}",
                DocumentId = id,
                ChunkIndex = i,
                Text = chunks[i].Text,
                Metadata = metadata.Clone(),
                Dense = { chunks[i].Dense },
                Sparse = Points.Terms(chunks[i].Text),
            });
        }
        return write;
    }

    private static Struct Meta(string lang, int year, params string[] tags) => new()
    {
        Fields =
        {
            ["lang"] = Value.ForString(lang),
            ["year"] = Value.ForNumber(year),
            ["tags"] = Value.ForList([.. tags.Select(Value.ForString)]),
        },
    };

    /// <summary>Six documents, seven points; chunk texts and vectors chosen so that every query below has one right answer.</summary>
    private static DocumentWrite[] Corpus() =>
    [
        Document("d1", Meta("en", 1990, "aero", "flutter"), ("wing flutter at transonic speed", [1, 0, 0, 0]), ("flutter suppression by control surfaces", [0.9f, 0.1f, 0, 0])),
        Document("d2", Meta("en", 2001, "heat"), ("heat transfer in boundary layers", [0, 1, 0, 0])),
        Document("d3", Meta("de", 1985, "aero"), ("boundary layer transition on a flat plate", [0, 0.8f, 0.2f, 0])),
        Document("d4", Meta("en", 2010, "shock"), ("shock waves in supersonic nozzles", [0, 0, 1, 0])),
        Document("d5", Meta("fr", 1975, "flutter"), ("panel flutter of thin plates", [0.7f, 0, 0, 0.3f])),
        Document("d6", Meta("de", 2015, "heat", "instrument"), ("heat flux measurement with thin films", [0, 0.6f, 0, 0.4f])),
    ];

    private async Task<IVectorStore> FilledAsync()
    {
        var store = Store;
        await store.CreateCollectionAsync(_name, Config(), CancellationToken.None);
        await store.UpsertDocumentsAsync(_name, Corpus(), CancellationToken.None);
        return store;
    }

    private async Task<List<string>> SearchAsync(IVectorStore store, FusionSettings fusion, string? terms = null, float[]? dense = null, Filter? filter = null,
        int topK = 10, bool groupByDocument = false)
    {
        var request = new SearchRequest { Collection = _name, TopK = topK, Fusion = fusion.Mode, Filter = filter, GroupByDocument = groupByDocument };
        if (terms is not null) request.SparseQuery = Points.Terms(terms);
        if (dense is not null) request.DenseQuery.Add(dense);
        var response = await store.SearchAsync(request, fusion, CancellationToken.None);
        Assert.All(response.Hits, h => Assert.Empty(h.Point.Dense));
        return [.. response.Hits.Select(h => h.Point.Id)];
    }

    [SkippableFact]
    public async Task A_collection_is_created_described_listed_and_deleted()
    {
        var store = Store;

        var created = await store.CreateCollectionAsync(_name, Config(), CancellationToken.None);
        await store.UpsertDocumentsAsync(_name, Corpus(), CancellationToken.None);
        var described = await store.GetCollectionAsync(_name, CancellationToken.None);
        var listed = await store.ListCollectionsAsync(CancellationToken.None);
        await store.DeleteCollectionAsync(_name, CancellationToken.None);

        Assert.Equal(_name, created.Name);
        Assert.Equal(Dimension, described.Config.DenseDimension);
        Assert.Equal(0.4f, described.Config.Bm25.B);
        Assert.Equal((6, 7), (described.DocumentCount, described.PointCount));
        Assert.Contains(listed, c => c.Name == _name);
        var gone = await Assert.ThrowsAsync<RagSuiteException>(() => store.GetCollectionAsync(_name, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }

    [SkippableFact]
    public async Task Creating_an_existing_collection_is_a_conflict()
    {
        var store = await FilledAsync();

        var error = await Assert.ThrowsAsync<RagSuiteException>(() => store.CreateCollectionAsync(_name, Config(), CancellationToken.None));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(7, await store.CountAsync(_name, null, CancellationToken.None));
    }

    public static TheoryData<string> CallsOnAMissingCollection => ["get", "delete", "upsert", "delete document", "delete points", "documents", "search", "count", "scroll"];

    [SkippableTheory]
    [MemberData(nameof(CallsOnAMissingCollection))]
    public async Task A_missing_collection_is_not_found(string call)
    {
        var store = Store;
        const string missing = "contract-missing";
        var none = CancellationToken.None;

        var error = await Assert.ThrowsAsync<RagSuiteException>(() => call switch
        {
            "get" => store.GetCollectionAsync(missing, none),
            "delete" => store.DeleteCollectionAsync(missing, none),
            "upsert" => store.UpsertDocumentsAsync(missing, Corpus(), none),
            "delete document" => store.DeleteDocumentAsync(missing, "d1", none),
            "delete points" => store.DeletePointsAsync(missing, ["d1#0"], none),
            "documents" => store.GetDocumentsAsync(missing, ["d1"], none),
            "search" => store.SearchAsync(new SearchRequest { Collection = missing, TopK = 3, SparseQuery = Points.Terms("flutter") }, Sparse, none),
            "count" => store.CountAsync(missing, null, none),
            "scroll" => store.ScrollAsync(missing, null, null, 3, none),
            _ => throw new ArgumentException(call),
        });

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [SkippableFact]
    public async Task Writing_the_same_documents_again_changes_nothing()
    {
        var store = await FilledAsync();
        var before = await SearchAsync(store, Hybrid, "heat boundary", [0, 1, 0, 0]);

        await store.UpsertDocumentsAsync(_name, Corpus(), CancellationToken.None);

        Assert.Equal(7, await store.CountAsync(_name, null, CancellationToken.None));
        Assert.Equal(before, await SearchAsync(store, Hybrid, "heat boundary", [0, 1, 0, 0]));
        var described = await store.GetCollectionAsync(_name, CancellationToken.None);
        Assert.Equal((6, 7), (described.DocumentCount, described.PointCount));
    }

    [SkippableFact]
    public async Task A_rewritten_document_replaces_all_of_its_points()
    {
        var store = await FilledAsync();

        await store.UpsertDocumentsAsync(_name, [Document("d1", Meta("en", 1990, "aero"), ("rotor blade vortex interaction", [0, 0, 0, 1]))], CancellationToken.None);

        Assert.Equal(6, await store.CountAsync(_name, null, CancellationToken.None));
        Assert.Equal(["d5#0"], await SearchAsync(store, Sparse, "flutter"));
        Assert.Equal("d1#0", (await SearchAsync(store, Sparse, "vortex")).Single());
        var d1 = (await store.GetDocumentsAsync(_name, ["d1"], CancellationToken.None)).Single();
        Assert.Equal(("hash-d1-1", 1), (d1.ContentHash, d1.ChunkCount));
    }

    [SkippableFact]
    public async Task Documents_and_points_are_deleted_and_report_what_they_removed()
    {
        var store = await FilledAsync();

        var documentPoints = await store.DeleteDocumentAsync(_name, "d1", CancellationToken.None);
        var again = await store.DeleteDocumentAsync(_name, "d1", CancellationToken.None);
        var points = await store.DeletePointsAsync(_name, ["d5#0", "d6#0", "no-such-point"], CancellationToken.None);

        Assert.Equal((2, 0, 2), (documentPoints, again, points));
        Assert.Equal(3, await store.CountAsync(_name, null, CancellationToken.None));
        Assert.Empty(await SearchAsync(store, Sparse, "flutter"));
        Assert.Equal(["d2#0", "d3#0", "d4#0"], (await store.ScrollAsync(_name, null, null, 10, CancellationToken.None)).Points.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Stored_documents_report_their_hash_and_chunk_count_and_unknown_ids_are_left_out()
    {
        var store = await FilledAsync();

        var documents = await store.GetDocumentsAsync(_name, ["d1", "missing", "d4"], CancellationToken.None);

        Assert.Equal([("d1", "hash-d1-2", 2), ("d4", "hash-d4-1", 1)],
            documents.Select(d => (d.DocumentId, d.ContentHash, d.ChunkCount)).OrderBy(d => d.DocumentId, StringComparer.Ordinal));
    }

    public static TheoryData<string, string?, float[]?, string[]> Searches => new()
    {
        { "sparse: two terms, the shorter chunk first", "heat boundary", null, ["d2#0", "d6#0", "d3#0"] },
        { "sparse: a rare term", "nozzles", null, ["d4#0"] },
        { "sparse: no match", "helicopter", null, [] },
        { "dense: nearest first", null, [1, 0, 0, 0], ["d1#0", "d1#1", "d5#0"] },
        { "dense: another direction", null, [0, 0, 1, 0], ["d4#0", "d3#0"] },
        { "hybrid: both agree", "heat", [0, 1, 0, 0], ["d2#0"] },
    };

    [SkippableTheory]
    [MemberData(nameof(Searches))]
    public async Task Searches_rank_the_expected_points_first(string name, string? terms, float[]? dense, string[] expected)
    {
        var store = await FilledAsync();
        var fusion = name.StartsWith("sparse", StringComparison.Ordinal) ? Sparse : name.StartsWith("dense", StringComparison.Ordinal) ? Dense : Hybrid;

        var found = await SearchAsync(store, fusion, terms, dense, topK: expected.Length == 0 ? 3 : expected.Length);

        Assert.Equal(expected, found);
    }

    [SkippableTheory]
    [InlineData(DenseDistance.Cosine, "short#0", 1.0f)]
    [InlineData(DenseDistance.Dot, "long#0", 3.0f)]
    public async Task The_collections_distance_decides_whether_a_vectors_length_counts(DenseDistance distance, string first, float score)
    {
        var store = Store;
        await store.CreateCollectionAsync(_name, new CollectionConfig(Config()) { DenseDistance = distance }, CancellationToken.None);
        await store.UpsertDocumentsAsync(_name,
            [Document("short", Meta("en", 2000), ("unit length", [1, 0, 0, 0])), Document("long", Meta("en", 2000), ("three times as long, a little off", [3, 0.5f, 0, 0]))],
            CancellationToken.None);

        var response = await store.SearchAsync(new SearchRequest { Collection = _name, TopK = 2, DenseQuery = { 1, 0, 0, 0 }, Fusion = FusionMode.DenseOnly }, Dense,
            CancellationToken.None);

        Assert.Equal(first, response.Hits[0].Point.Id);
        Assert.Equal(score, response.Hits[0].Score, 3);
    }

    [SkippableFact]
    public async Task Grouping_by_document_keeps_each_documents_best_point()
    {
        var store = await FilledAsync();

        var found = await SearchAsync(store, Dense, dense: [1, 0, 0, 0], topK: 2, groupByDocument: true);

        Assert.Equal(["d1#0", "d5#0"], found);
    }

    private static Condition Is(string key, Value value) => new() { Key = key, Equals_ = value };

    public static TheoryData<string> Filters => [.. FilterCases.Keys];

    private static readonly Dictionary<string, (Filter Filter, string[] Points)> FilterCases = new()
    {
        ["equals a string"] = (new Filter { Must = { Is("lang", Value.ForString("en")) } }, ["d1#0", "d1#1", "d2#0", "d4#0"]),
        ["equals a number"] = (new Filter { Must = { Is("year", Value.ForNumber(2001)) } }, ["d2#0"]),
        ["any of, on a list field"] = (new Filter { Must = { new Condition { Key = "tags", AnyOf = new ListValue { Values = { Value.ForString("heat"), Value.ForString("shock") } } } } },
            ["d2#0", "d4#0", "d6#0"]),
        ["range"] = (new Filter { Must = { new Condition { Key = "year", Range = new Contracts.V1.Range { Gte = 2000, Lt = 2015 } } } }, ["d2#0", "d4#0"]),
        ["must not"] = (new Filter { MustNot = { Is("lang", Value.ForString("en")) } }, ["d3#0", "d5#0", "d6#0"]),
        ["should"] = (new Filter { Should = { Is("lang", Value.ForString("fr")), new Condition { Key = "year", Range = new Contracts.V1.Range { Gt = 2012 } } } }, ["d5#0", "d6#0"]),
        ["nested: and of an or"] = (new Filter
        {
            Must = { Is("tags", Value.ForString("aero")), new Condition { Filter = new Filter { Should = { Is("lang", Value.ForString("de")), Is("year", Value.ForNumber(1990)) } } } },
        }, ["d1#0", "d1#1", "d3#0"]),
        ["nested: not of an and"] = (new Filter
        {
            MustNot = { new Condition { Filter = new Filter { Must = { Is("lang", Value.ForString("en")), new Condition { Key = "year", Range = new Contracts.V1.Range { Lt = 2005 } } } } } },
        }, ["d3#0", "d4#0", "d5#0", "d6#0"]),
        ["document id"] = (new Filter { Must = { Is("document_id", Value.ForString("d1")) } }, ["d1#0", "d1#1"]),
        ["a field no point has"] = (new Filter { Must = { Is("colour", Value.ForString("red")) } }, []),
    };

    [SkippableTheory]
    [MemberData(nameof(Filters))]
    public async Task Filters_select_the_same_points_in_count_scroll_and_search(string name)
    {
        var store = await FilledAsync();
        var (filter, expected) = FilterCases[name];

        var count = await store.CountAsync(_name, filter, CancellationToken.None);
        var scrolled = await store.ScrollAsync(_name, filter, null, 100, CancellationToken.None);
        var searched = await SearchAsync(store, Dense, dense: [1, 1, 1, 1], filter: filter, topK: 10);

        Assert.Equal(expected.Length, count);
        Assert.Equal(expected, scrolled.Points.Select(p => p.Id));
        Assert.Equal(expected, searched.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Scrolling_pages_through_every_point_in_id_order()
    {
        var store = await FilledAsync();

        var pages = new List<List<string>>();
        string? after = null;
        do
        {
            var page = await store.ScrollAsync(_name, null, after, 3, CancellationToken.None);
            pages.Add([.. page.Points.Select(p => p.Id)]);
            Assert.All(page.Points, p => Assert.NotEmpty(p.Text));
            after = page.Next;
        }
        while (after is not null);

        Assert.Equal([["d1#0", "d1#1", "d2#0"], ["d3#0", "d4#0", "d5#0"], ["d6#0"]], pages);
    }

    [SkippableFact]
    public async Task Hits_carry_text_metadata_and_scores()
    {
        var store = await FilledAsync();

        var response = await store.SearchAsync(new SearchRequest { Collection = _name, TopK = 1, SparseQuery = Points.Terms("nozzles"), DenseQuery = { 0, 0, 1, 0 } }, Hybrid,
            CancellationToken.None);

        var hit = Assert.Single(response.Hits);
        Assert.Equal(("d4#0", "d4", "shock waves in supersonic nozzles"), (hit.Point.Id, hit.Point.DocumentId, hit.Point.Text));
        Assert.Equal("en", hit.Point.Metadata.Fields["lang"].StringValue);
        Assert.Equal(2010, hit.Point.Metadata.Fields["year"].NumberValue);
        Assert.True(hit.DenseScore > 0.99f);
        Assert.True(hit.SparseScore > 0);
    }

    /// <summary>Through the retriever, which scopes every search of a multi-tenant collection to the tenant it names.</summary>
    [SkippableFact]
    public async Task Searches_scoped_to_one_tenant_never_return_another_tenants_points()
    {
        var store = Store;
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var retriever = new InProcessRetriever(store, Options.Create(new RetrieverOptions()), new RetrieverMetrics(meters));
        await retriever.CreateCollectionAsync(new CreateCollectionRequest { Name = _name, Config = Config(tenantKey: "tenant") }, CancellationToken.None);
        var random = new Random(7);
        string[] words = ["lift", "drag", "wing", "flutter", "heat", "shock", "plate", "rotor", "nozzle", "vortex"];
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)]));
        float[] Vector() => [.. Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble() + 0.01f)];
        var upsert = new UpsertDocumentsRequest { Collection = _name };
        for (var d = 0; d < 60; d++)
        {
            var tenant = ((char)('A' + d % 3)).ToString();
            var metadata = new Struct { Fields = { ["tenant"] = Value.ForString(tenant) } };
            upsert.Documents.Add(Document($"{tenant}-{d}", metadata, (Words(6), Vector()), (Words(4), Vector())));
        }
        await retriever.UpsertDocumentsAsync(upsert, CancellationToken.None);

        for (var q = 0; q < 30; q++)
        {
            var request = new SearchRequest { Collection = _name, Tenant = "A", TopK = 25, Fusion = (FusionMode)(1 + q % 4) };
            if (request.Fusion != FusionMode.SparseOnly) request.DenseQuery.Add(Vector());
            if (request.Fusion != FusionMode.DenseOnly) request.SparseQuery = Points.Terms(Words(2));
            var response = await retriever.SearchAsync(request, CancellationToken.None);
            Assert.NotEmpty(response.Hits);
            Assert.All(response.Hits, h => Assert.Equal("A", h.Point.Metadata.Fields["tenant"].StringValue));
        }
        var nobody = await retriever.SearchAsync(new SearchRequest { Collection = _name, Tenant = "Z", TopK = 5, SparseQuery = Points.Terms("lift drag wing") }, CancellationToken.None);
        Assert.Empty(nobody.Hits);
    }

    [SkippableFact]
    public async Task What_was_written_is_there_after_a_restart()
    {
        var store = await FilledAsync();
        var before = await SearchAsync(store, Hybrid, "heat boundary", [0, 1, 0, 0]);

        _store = await ReopenAsync(store);

        Assert.Equal(7, await _store.CountAsync(_name, null, CancellationToken.None));
        Assert.Equal(before, await SearchAsync(_store, Hybrid, "heat boundary", [0, 1, 0, 0]));
        Assert.Equal(Dimension, (await _store.GetCollectionAsync(_name, CancellationToken.None)).Config.DenseDimension);
    }
}
