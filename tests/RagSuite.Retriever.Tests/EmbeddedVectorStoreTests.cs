using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Testing;

namespace RagSuite.Retriever.Tests;

public sealed class EmbeddedVectorStoreTests : IDisposable
{
    internal static readonly CollectionConfig Config = new() { Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } };
    private readonly TemporaryDirectory _data = new();

    internal static async Task<EmbeddedVectorStore> OpenAsync(string data, long segmentBytes = 64L * 1024 * 1024, long checkpointBytes = 64L * 1024 * 1024)
    {
        var store = new EmbeddedVectorStore(
            Options.Create(new RetrieverOptions { DataDirectory = data, SegmentBytes = segmentBytes, CheckpointBytes = checkpointBytes }),
            NullLogger<EmbeddedVectorStore>.Instance);
        await store.Verification;
        return store;
    }

    private Task<EmbeddedVectorStore> OpenAsync(long segmentBytes = 64L * 1024 * 1024, long checkpointBytes = 64L * 1024 * 1024) =>
        OpenAsync(_data.Path, segmentBytes, checkpointBytes);

    internal static Task Write(EmbeddedVectorStore store, string collection, params DocumentWrite[] documents) =>
        store.Get(collection).WriteAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { documents } }, CancellationToken.None);

    internal static List<(string, float)> Search(EmbeddedVectorStore store, string collection, string query) =>
        store.Get(collection).Read(index => index.Search(Points.Search(collection, query), FusionMode.SparseOnly))
            .Hits.Select(h => (h.Point.Id, h.Score)).ToList();

    private string CollectionPath(string collection) => Path.Combine(_data.Path, "collections", collection);

    private string SegmentPath(string collection, int number = 1) => Path.Combine(CollectionPath(collection), LogSegment.NameOf(number));

    [Fact]
    public async Task Reopening_restores_collections_points_texts_and_scores()
    {
        List<(string, float)> before;
        using (var store = await OpenAsync())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "transonic flutter", "flutter speed"), Points.Document("b", "heat flux"));
            await Write(store, "papers", Points.Document("b", "flutter of panels"));
            await Write(store, "papers", new DocumentWrite { DocumentId = "a" });
            before = Search(store, "papers", "flutter");
        }

        using var reopened = await OpenAsync();

        Assert.Equal(["papers"], reopened.List().Select(c => c.Name));
        Assert.Equal(1, reopened.List()[0].DocumentCount);
        Assert.Equal(before, Search(reopened, "papers", "flutter"));
        Assert.Equal(["b#0"], before.Select(h => h.Item1));
        var hit = reopened.Get("papers").Read(index => index.Search(Points.Search("papers", "flutter"), FusionMode.SparseOnly)).Hits.Single();
        Assert.Equal("flutter of panels", hit.Point.Text);
        Assert.Empty(hit.Point.Dense);
        Assert.Null(hit.Point.Sparse);
    }

    /// <summary>
    /// An int8 collection keeps only codes in memory and rescores with floats read back from its log: its exact search
    /// equals a float collection's, its graph search finds nearly the same, and both survive removals and a restart.
    /// </summary>
    [Fact]
    public async Task An_int8_collection_rescores_with_floats_from_its_log_and_answers_as_a_float_one()
    {
        var vectors = HnswGraphTests.Clustered(5000, 50, seed: 21);
        var queries = HnswGraphTests.Clustered(30, 50, seed: 22);
        var removed = Enumerable.Range(0, vectors.Length).Where(i => i % 7 == 3).ToList();
        using (var store = await OpenAsync())
        {
            foreach (var (name, int8) in new[] { ("floats", false), ("codes", true) })
            {
                store.Create(name, new CollectionConfig(Config) { DenseDimension = HnswGraphTests.Dimension, DenseIndex = new DenseIndexParameters { Int8 = int8 } });
                foreach (var batch in vectors.Select((v, i) => Points.Document($"d{i}", $"note {i} on wing loading").WithDense(v.Select(x => 3 * x).ToArray())).Chunk(500))
                {
                    await Write(store, name, batch);
                }
                await Write(store, name, [.. removed.Select(i => new DocumentWrite { DocumentId = $"d{i}" })]);
            }
            AssertAnswersAlike(store);
        }

        using var reopened = await OpenAsync();
        Assert.Equal(0, reopened.Get("codes").ReplayedRecords);
        AssertAnswersAlike(reopened);

        void AssertAnswersAlike(EmbeddedVectorStore store)
        {
            var recall = 0.0;
            foreach (var query in queries)
            {
                var exact = Dense(store, "floats", query, exact: true);
                Assert.Equal(exact, Dense(store, "codes", query, exact: true));
                Assert.DoesNotContain(exact, h => removed.Contains(Number(h.Id)));
                var found = Dense(store, "codes", query, exact: false);
                // Rescored: each score is the float similarity, not the codes'.
                Assert.All(found, h => Assert.Equal(System.Numerics.Tensors.TensorPrimitives.Dot(query, vectors[Number(h.Id)]), h.Score, 4));
                recall += found.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count() / 10.0;
            }
            Assert.InRange(recall / queries.Length, 0.95, 1.0);
        }

        static int Number(string pointId) => int.Parse(pointId[1..pointId.IndexOf('#')]);

        static List<(string Id, float Score)> Dense(EmbeddedVectorStore store, string collection, float[] query, bool exact) =>
            store.Get(collection).Read(index => index.Search(new SearchRequest { Collection = collection, DenseQuery = { query }, TopK = 10, Ef = 200, Exact = exact }, FusionMode.DenseOnly))
                .Hits.Select(h => (h.Point.Id, h.Score)).ToList();
    }

    [Fact]
    public async Task A_clean_stop_checkpoints_the_index_so_a_restart_replays_nothing()
    {
        using (var store = await OpenAsync())
        {
            store.Create("papers", Config);
            for (var i = 0; i < 20; i++) await Write(store, "papers", Points.Document($"d{i}", $"note {i} on wing loading"));
        }
        Assert.True(File.Exists(Path.Combine(CollectionPath("papers"), IndexCheckpoint.FileName)));

        using var reopened = await OpenAsync();

        Assert.Equal(0, reopened.Get("papers").ReplayedRecords);
        Assert.Equal(20, reopened.List()[0].DocumentCount);
        Assert.Equal(10, Search(reopened, "papers", "wing").Count);
    }

    [Fact]
    public async Task Without_a_checkpoint_the_log_alone_rebuilds_the_collection()
    {
        var copy = Path.Combine(_data.Path, "..", Path.GetFileName(_data.Path) + "-copy");
        try
        {
            List<(string, float)> before;
            using (var store = await OpenAsync())
            {
                store.Create("papers", Config);
                for (var i = 0; i < 30; i++) await Write(store, "papers", Points.Document($"d{i}", $"note {i} on wing loading", "and on stall"));
                await Write(store, "papers", new DocumentWrite { DocumentId = "d3" });
                before = Search(store, "papers", "wing stall");
                // The files as a killed process leaves them: everything acknowledged is in the log, no checkpoint yet.
                CopyDirectory(_data.Path, copy);
            }

            using var recovered = await OpenAsync(copy);

            Assert.Equal(31, recovered.Get("papers").ReplayedRecords);
            Assert.Equal(29, recovered.List()[0].DocumentCount);
            Assert.Equal(before, Search(recovered, "papers", "wing stall"));
        }
        finally
        {
            if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task A_torn_record_at_the_end_of_the_log_is_cut_off_and_earlier_writes_survive()
    {
        using (var store = await OpenAsync())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "boundary layer"));
            await Write(store, "papers", Points.Document("b", "boundary layer suction"));
        }
        File.Delete(Path.Combine(CollectionPath("papers"), IndexCheckpoint.FileName));
        var intact = new FileInfo(SegmentPath("papers")).Length;
        await using (var log = new FileStream(SegmentPath("papers"), FileMode.Append))
        {
            // A crash mid-append: a whole record's first bytes, the rest never reached the disk.
            var bytes = await File.ReadAllBytesAsync(SegmentPath("papers"));
            var firstRecord = LogSegment.ReadHeader(new MemoryStream(bytes), "log").Bytes;
            await log.WriteAsync(bytes.AsMemory(firstRecord, 30));
        }

        using (var reopened = await OpenAsync())
        {
            Assert.Equal(["a#0", "b#0"], Search(reopened, "papers", "boundary").Select(h => h.Item1).Order());
            Assert.Equal(intact, new FileInfo(SegmentPath("papers")).Length);
            await Write(reopened, "papers", Points.Document("c", "boundary"));
        }
        using var again = await OpenAsync();
        Assert.Equal(3, again.List()[0].DocumentCount);
    }

    [Fact]
    public async Task Waiting_writes_share_one_commit()
    {
        using var store = await OpenAsync();
        store.Create("papers", Config);
        var collection = store.Get("papers");
        var before = collection.Commits;

        Task[] writes;
        using (await collection.PauseWritesAsync())
        {
            writes = [.. Enumerable.Range(0, 12).Select(i => Write(store, "papers", Points.Document($"d{i}", $"gust response {i}")))];
        }
        await Task.WhenAll(writes);

        Assert.Equal(1, collection.Commits - before);
        Assert.Equal(12, store.List()[0].DocumentCount);
    }

    [Fact]
    public async Task A_write_cancelled_while_waiting_is_never_logged()
    {
        using var store = await OpenAsync();
        store.Create("papers", Config);
        var collection = store.Get("papers");
        using var cancel = new CancellationTokenSource();
        Task cancelled;
        using (await collection.PauseWritesAsync())
        {
            cancelled = collection.WriteAsync(new UpsertDocumentsRequest { Collection = "papers", Documents = { Points.Document("x", "never") } }, cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }
        await Write(store, "papers", Points.Document("y", "kept"));

        Assert.Null(collection.Read(index => index.FindDocument("x")));
        Assert.NotNull(collection.Read(index => index.FindDocument("y")));
    }

    [Fact]
    public async Task Old_segments_are_compacted_away_piecemeal_without_losing_anything()
    {
        var expected = new Dictionary<string, string>();
        using (var store = await OpenAsync(segmentBytes: 8 * 1024, checkpointBytes: 4 * 1024))
        {
            store.Create("papers", Config);
            for (var round = 0; round < 12; round++)
            {
                for (var i = 0; i < 60; i++)
                {
                    var text = $"report {i} round {round} on compressor stall";
                    await Write(store, "papers", Points.Document($"d{i}", text));
                    expected[$"d{i}"] = text;
                }
                await Write(store, "papers", new DocumentWrite { DocumentId = $"d{round}" });
                expected.Remove($"d{round}");
            }
            var segments = LogSegment.Numbers(CollectionPath("papers"));
            Assert.True(segments[0] > 1, "no segment was ever removed");
        }
        // About 180 KB were logged in all; compaction keeps the log near twice the live records plus a few segments.
        var onDisk = Directory.GetFiles(CollectionPath("papers"), "*.seg").Sum(f => new FileInfo(f).Length);
        Assert.True(onDisk < 64 * 1024, $"{onDisk} bytes of log for {expected.Count} documents");

        using var reopened = await OpenAsync();
        Assert.Equal(expected.Count, reopened.List()[0].DocumentCount);
        foreach (var (id, text) in expected)
        {
            var hits = reopened.Get("papers").Read(index => index.Search(
                new SearchRequest { Collection = "papers", TopK = 1, SparseQuery = Points.Terms(text), Filter = new Filter { Must = { new Condition { Key = "document_id", Equals_ = Google.Protobuf.WellKnownTypes.Value.ForString(id) } } } },
                FusionMode.SparseOnly)).Hits;
            Assert.Equal(text, Assert.Single(hits).Point.Text);
        }
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_leave_a_consistent_collection_that_reopens_the_same()
    {
        const int writers = 6, documentsEach = 40;
        using (var store = await OpenAsync(segmentBytes: 16 * 1024, checkpointBytes: 8 * 1024))
        {
            store.Create("busy", Config);
            using var stop = new CancellationTokenSource();
            var started = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource()).ToList();
            var readers = started.Select(reading => Task.Run(() =>
            {
                var searches = 0;
                try
                {
                    do
                    {
                        var hits = Search(store, "busy", "turbine blade");
                        Assert.All(hits, h => Assert.EndsWith("#0", h.Item1));
                        reading.TrySetResult();
                        searches++;
                        Thread.Sleep(1); // readers interleave with writers instead of spinning on both cores
                    }
                    while (!stop.IsCancellationRequested);
                }
                finally
                {
                    reading.TrySetResult(); // a reader that failed must not keep the writers waiting; its failure surfaces below
                }
                return searches;
            })).ToList();
            await Task.WhenAll(started.Select(s => s.Task));
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < documentsEach; i++)
                {
                    await Write(store, "busy", Points.Document($"w{w}-d{i}", $"turbine blade report {w} {i}"));
                    if (i % 4 == 3) await Write(store, "busy", new DocumentWrite { DocumentId = $"w{w}-d{i - 1}" });
                }
            })));
            await stop.CancelAsync();
            Assert.All(await Task.WhenAll(readers), searches => Assert.True(searches > 1));
            Assert.Equal(writers * documentsEach * 3 / 4, store.List()[0].DocumentCount);
        }

        using var reopened = await OpenAsync();
        Assert.Equal(writers * documentsEach * 3 / 4, reopened.List()[0].DocumentCount);
        Assert.Equal(writers * documentsEach * 3 / 4, reopened.List()[0].PointCount);
        Assert.Equal(10, Search(reopened, "busy", "turbine").Count);
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused()
    {
        using var store = await OpenAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync());

        Assert.Contains("in use by another RagSuite process", error.Message);
    }

    [Fact]
    public async Task Deleted_collections_stay_deleted_and_their_names_can_be_reused()
    {
        using (var store = await OpenAsync())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "lift"));
            store.Delete("papers");
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<RagSuiteException>(() => store.Get("papers")).Kind);
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<RagSuiteException>(() => store.Delete("papers")).Kind);
            store.Create("papers", Config);
        }

        using var reopened = await OpenAsync();
        Assert.Equal(0, reopened.List().Single().DocumentCount);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "trash")));
    }

    [Fact]
    public async Task Creating_an_existing_collection_is_a_conflict()
    {
        using var store = await OpenAsync();
        store.Create("papers", Config);

        Assert.Equal(ErrorKind.Conflict, Assert.Throws<RagSuiteException>(() => store.Create("papers", Config)).Kind);
    }

    [Fact]
    public async Task An_unfinished_create_is_removed_at_start_up()
    {
        Directory.CreateDirectory(Path.Combine(_data.Path, "collections", ".creating-0123"));

        using var store = await OpenAsync();

        Assert.Empty(store.List());
        Assert.Empty(Directory.GetDirectories(Path.Combine(_data.Path, "collections")));
    }

    internal static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) != ".lock")) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.GetDirectories(from)) CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    public void Dispose() => _data.Dispose();
}
