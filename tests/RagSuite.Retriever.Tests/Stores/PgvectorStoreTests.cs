using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Retrieval.Stores;
using RagSuite.Retrieval.Stores.Pgvector;
using RagSuite.Testing;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>
/// What the pgvector store must match beyond the contract suite: the embedded store's BM25 scores, dense similarities and
/// fused rankings on the same points and queries, exact search against brute force, and errors that name no secret.
/// </summary>
public sealed class PgvectorStoreTests(PgliteServer server) : IClassFixture<PgliteServer>, IAsyncLifetime
{
    private const int Dimension = 8;
    private static readonly string[] Words =
        ["wing", "flutter", "shock", "heat", "plate", "nozzle", "vortex", "rotor", "drag", "lift", "boundary", "layer", "transonic", "panel", "flux"];
    private static readonly string[] Queries = ["flutter", "heat flux plate", "shock nozzle drag lift", "boundary layer boundary", "vortex rotor wing panel transonic"];

    private readonly TemporaryDirectory _data = new();
    private readonly string _name = $"pg-{Guid.NewGuid():N}"[..20];
    private EmbeddedVectorStore? _embedded;
    private PgvectorVectorStore? _pgvector;

    public async Task InitializeAsync()
    {
        if (server.Unavailable is not null) return;
        _embedded = await EmbeddedVectorStoreTests.OpenAsync(_data.Path);
        _pgvector = PgvectorStoreContractTests.Open(server);
        var config = new CollectionConfig { DenseDimension = Dimension, Bm25 = new Bm25Parameters { K1 = 1.2f, B = 0.75f } };
        var corpus = Corpus();
        foreach (IVectorStore store in new IVectorStore[] { _embedded, _pgvector })
        {
            await store.CreateCollectionAsync(_name, config, CancellationToken.None);
            await store.UpsertDocumentsAsync(_name, corpus, CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        _embedded?.Dispose();
        if (_pgvector is not null) await _pgvector.DisposeAsync();
        _data.Dispose();
    }

    private (EmbeddedVectorStore Embedded, PgvectorVectorStore Pgvector) Stores
    {
        get
        {
            Skip.If(server.Unavailable is not null, server.Unavailable);
            return (_embedded!, _pgvector!);
        }
    }

    /// <summary>Forty documents of one to three chunks of random words, lengths and vectors, from a fixed seed.</summary>
    private static List<DocumentWrite> Corpus()
    {
        var random = new Random(11);
        var documents = new List<DocumentWrite>();
        for (var d = 0; d < 40; d++)
        {
            var chunks = Enumerable.Range(0, 1 + random.Next(3))
                .Select(_ => string.Join(' ', Enumerable.Range(0, 3 + random.Next(12)).Select(_ => Words[random.Next(Words.Length)]))).ToArray();
            var metadata = new Struct { Fields = { ["year"] = Value.ForNumber(1960 + d), ["even"] = Value.ForBool(d % 2 == 0) } };
            var write = Points.Document($"doc-{d:D2}", metadata, chunks);
            foreach (var point in write.Points) point.Dense.Add(Vector(random));
            documents.Add(write);
        }
        return documents;
    }

    private static float[] Vector(Random random) => [.. Enumerable.Range(0, Dimension).Select(_ => (float)(random.NextDouble() * 2 - 1))];

    private SearchRequest Request(string query, float[]? dense, int topK = 10, Filter? filter = null, bool group = false)
    {
        var request = new SearchRequest { Collection = _name, SparseQuery = Points.Terms(query), TopK = topK, Filter = filter, GroupByDocument = group };
        if (dense is not null) request.DenseQuery.Add(dense);
        return request;
    }

    private static void AssertSame(SearchResponse expected, SearchResponse actual)
    {
        Assert.Equal(expected.Hits.Select(h => h.Point.Id), actual.Hits.Select(h => h.Point.Id));
        foreach (var (e, a) in expected.Hits.Zip(actual.Hits))
        {
            Assert.Equal(e.Score, a.Score, 1e-4f);
            Assert.Equal(e.HasDenseScore, a.HasDenseScore);
            Assert.Equal(e.HasSparseScore, a.HasSparseScore);
            if (e.HasDenseScore) Assert.Equal(e.DenseScore, a.DenseScore, 1e-4f);
            if (e.HasSparseScore) Assert.Equal(e.SparseScore, a.SparseScore, 1e-4f);
            Assert.Equal(e.Point.Text, a.Point.Text);
            Assert.Equal(e.Point.Metadata, a.Point.Metadata);
        }
        Assert.Equal((expected.Fusion, expected.DenseWeight, expected.RrfK), (actual.Fusion, actual.DenseWeight, actual.RrfK));
    }

    public static TheoryData<string, bool, bool> Rankings()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var mode in new[] { "sparse", "dense", "weighted", "rrf" })
        {
            foreach (var filtered in new[] { false, true })
            {
                foreach (var grouped in new[] { false, true }) data.Add(mode, filtered, grouped);
            }
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Rankings))]
    public async Task Rankings_and_scores_match_the_embedded_store(string mode, bool filtered, bool grouped)
    {
        var (embedded, pgvector) = Stores;
        var fusion = mode switch
        {
            "sparse" => new FusionSettings(FusionMode.SparseOnly, 0.3f, 60),
            "dense" => new FusionSettings(FusionMode.DenseOnly, 0.3f, 60),
            "weighted" => new FusionSettings(FusionMode.Weighted, 0.3f, 60),
            _ => new FusionSettings(FusionMode.Rrf, 0.5f, 60),
        };
        var filter = filtered ? new Filter { Must = { new Condition { Key = "even", Equals_ = Value.ForBool(true) } } } : null;
        var random = new Random(5);

        foreach (var query in Queries)
        {
            var request = Request(query, mode == "sparse" ? null : Vector(random), topK: 7, filter: filter, group: grouped);
            request.Exact = true;

            var expected = await embedded.SearchAsync(request, fusion, CancellationToken.None);
            var actual = await pgvector.SearchAsync(request, fusion, CancellationToken.None);

            Assert.NotEmpty(expected.Hits);
            AssertSame(expected, actual);
        }
    }

    [SkippableTheory]
    [InlineData(false, 0)]
    [InlineData(false, 200)]
    [InlineData(true, 0)]
    public async Task Dense_search_finds_the_brute_force_nearest_points(bool exact, int ef)
    {
        var (_, pgvector) = Stores;
        var points = Corpus().SelectMany(d => d.Points).ToList();
        var random = new Random(9);

        for (var q = 0; q < 5; q++)
        {
            var query = Vector(random);
            var expected = points
                .Select(p => (p.Id, Score: Cosine(query, [.. p.Dense])))
                .OrderByDescending(p => p.Score).ThenBy(p => p.Id, StringComparer.Ordinal).Take(5).ToList();
            var request = new SearchRequest { Collection = _name, DenseQuery = { query }, TopK = 5, Exact = exact, Ef = ef };

            var found = await pgvector.SearchAsync(request, new FusionSettings(FusionMode.DenseOnly, 0.3f, 60), CancellationToken.None);

            Assert.Equal(expected.Select(e => e.Id), found.Hits.Select(h => h.Point.Id));
            Assert.All(expected.Zip(found.Hits), pair => Assert.Equal(pair.First.Score, pair.Second.Score, 1e-4f));
        }
    }

    private static float Cosine(float[] a, float[] b) =>
        (float)(a.Zip(b).Sum(p => (double)p.First * p.Second) / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x)));

    [SkippableFact]
    public async Task Counts_and_documents_match_the_embedded_store()
    {
        var (embedded, pgvector) = Stores;
        var range = new Filter { Must = { new Condition { Key = "year", Range = new Contracts.V1.Range { Gte = 1970, Lt = 1990 } } } };

        var expected = await embedded.GetCollectionAsync(_name, CancellationToken.None);
        var actual = await pgvector.GetCollectionAsync(_name, CancellationToken.None);

        Assert.Equal((expected.DocumentCount, expected.PointCount), (actual.DocumentCount, actual.PointCount));
        Assert.Equal(await embedded.CountAsync(_name, range, CancellationToken.None), await pgvector.CountAsync(_name, range, CancellationToken.None));
        string[] ids = ["doc-03", "doc-17", "nope", "doc-03"];
        Assert.Equal(await embedded.GetDocumentsAsync(_name, ids, CancellationToken.None), await pgvector.GetDocumentsAsync(_name, ids, CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable_and_the_message_names_no_password()
    {
        var port = FreePorts.Next();
        await using var store = new PgvectorVectorStore(
            Options.Create(new PgvectorOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Username=u;Password=sekrit-pw;Timeout=2" }),
            NullLogger<PgvectorVectorStore>.Instance);

        var error = await Assert.ThrowsAsync<RagSuiteException>(() => store.ListCollectionsAsync(CancellationToken.None));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("pgvector", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sekrit-pw", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string?, bool, string?> OptionCases => new()
    {
        { "Host=db;Username=u;Password=p", false, null },
        { null, true, null },
        { null, false, "Set exactly one" },
        { "Host=db;Password=p", true, "Set exactly one" },
        { "Host=db;Nonsense Setting=1", false, "not a valid connection string" },
    };

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void Options_take_exactly_one_valid_connection_string_and_never_echo_it(string? connectionString, bool useFile, string? failure)
    {
        var file = Path.Combine(_data.Path, "connection");
        File.WriteAllText(file, "Host=db;Username=u;Password=from-file\n");
        var options = new PgvectorOptions { ConnectionString = connectionString, ConnectionStringFile = useFile ? file : null };

        var result = new PgvectorOptionsValidator().Validate(null, options);

        Assert.Equal(failure is null, result.Succeeded);
        if (failure is not null) Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", result.FailureMessage ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, typeof(EmbeddedVectorStore))]
    [InlineData("pgvector", typeof(PgvectorVectorStore))]
    public void The_retriever_uses_the_configured_store(string? store, System.Type expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RagSuite:Retriever:Store"] = store,
            ["RagSuite:Retriever:DataDirectory"] = _data.Path,
            ["RagSuite:Pgvector:ConnectionString"] = "Host=127.0.0.1;Username=u;Password=p",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddInProcessRetriever(configuration);

        var registered = services.Single(s => s.ServiceType == expected);

        Assert.Equal(ServiceLifetime.Singleton, registered.Lifetime);
        Assert.Contains(services, s => s.ServiceType == typeof(IVectorStore));
    }

    /// <summary>Two retrievers over one database, as two replicas would be: neither keeps state, so each sees the other's writes at once.</summary>
    [SkippableFact]
    public async Task Two_retrievers_over_one_database_see_each_others_writes()
    {
        var (_, first) = Stores;
        await using var second = PgvectorStoreContractTests.Open(server);
        var written = Corpus()[0].Clone();
        written.DocumentId = "replica-written";
        foreach (var point in written.Points) point.DocumentId = written.DocumentId;
        for (var i = 0; i < written.Points.Count; i++) written.Points[i].Id = $"replica-written#{i}";

        await first.UpsertDocumentsAsync(_name, [written], CancellationToken.None);
        var seen = await second.GetDocumentsAsync(_name, ["replica-written"], CancellationToken.None);
        var removed = await second.DeleteDocumentAsync(_name, "replica-written", CancellationToken.None);
        var gone = await first.GetDocumentsAsync(_name, ["replica-written"], CancellationToken.None);

        Assert.Equal(written.Points.Count, Assert.Single(seen).ChunkCount);
        Assert.Equal(written.Points.Count, removed);
        Assert.Empty(gone);
    }
}
