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
    private static readonly CollectionConfig Config = new() { Bm25 = new Bm25Parameters { K1 = 0.9f, B = 0.4f } };
    private readonly TemporaryDirectory _data = new();

    private EmbeddedVectorStore Open(long compactWalBytes = 64L * 1024 * 1024) =>
        new(Options.Create(new RetrieverOptions { DataDirectory = _data.Path, CompactWalBytes = compactWalBytes }),
            NullLogger<EmbeddedVectorStore>.Instance);

    private static Task Write(EmbeddedVectorStore store, string collection, params DocumentWrite[] documents) =>
        store.Get(collection).WriteAsync(new UpsertDocumentsRequest { Collection = collection, Documents = { documents } }, CancellationToken.None);

    private static List<(string, float)> Search(EmbeddedVectorStore store, string collection, string query) =>
        store.Get(collection).Read(index => index.Search(Points.Search(collection, query), FusionMode.SparseOnly))
            .Hits.Select(h => (h.Point.Id, h.Score)).ToList();

    private string WalPath(string collection) => Path.Combine(_data.Path, "collections", collection, "wal.log");

    [Fact]
    public async Task Reopening_restores_collections_points_and_scores()
    {
        List<(string, float)> before;
        using (var store = Open())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "transonic flutter", "flutter speed"), Points.Document("b", "heat flux"));
            await Write(store, "papers", Points.Document("b", "flutter of panels"));
            await Write(store, "papers", new DocumentWrite { DocumentId = "a" });
            before = Search(store, "papers", "flutter");
        }

        using var reopened = Open();

        Assert.Equal(["papers"], reopened.List().Select(c => c.Name));
        Assert.Equal(1, reopened.List()[0].DocumentCount);
        Assert.Equal(before, Search(reopened, "papers", "flutter"));
        Assert.Equal(["b#0"], before.Select(h => h.Item1));
    }

    [Fact]
    public async Task A_torn_record_at_the_end_of_the_log_is_cut_off_and_earlier_writes_survive()
    {
        using (var store = Open())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "boundary layer"));
            await Write(store, "papers", Points.Document("b", "boundary layer suction"));
        }
        var intact = new FileInfo(WalPath("papers")).Length;
        await using (var wal = new FileStream(WalPath("papers"), FileMode.Append))
        {
            // A crash mid-append: the header promises 1000 bytes, only a few made it to disk.
            await wal.WriteAsync(new byte[] { 0xE8, 0x03, 0, 0, 1, 2, 3, 4, 9, 9, 9 });
        }

        using (var reopened = Open())
        {
            Assert.Equal(["a#0", "b#0"], Search(reopened, "papers", "boundary").Select(h => h.Item1).Order());
            await Write(reopened, "papers", Points.Document("c", "boundary"));
        }
        Assert.True(new FileInfo(WalPath("papers")).Length > intact);
        using var again = Open();
        Assert.Equal(3, again.List()[0].DocumentCount);
    }

    [Fact]
    public async Task A_record_whose_checksum_fails_ends_the_replay()
    {
        using (var store = Open())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "lift"));
        }
        var bytes = await File.ReadAllBytesAsync(WalPath("papers"));
        await using (var wal = new FileStream(WalPath("papers"), FileMode.Append))
        {
            var copy = bytes[8..];   // the first record again...
            copy[^1] ^= 0xFF;        // ...with its last byte flipped
            await wal.WriteAsync(copy);
        }

        using var reopened = Open();

        Assert.Equal(1, reopened.List()[0].DocumentCount);
        Assert.Equal(bytes.Length, new FileInfo(WalPath("papers")).Length);
    }

    [Fact]
    public async Task Compaction_folds_the_log_into_a_snapshot_without_losing_anything()
    {
        using (var store = Open(compactWalBytes: 2048))
        {
            store.Create("papers", Config);
            for (var i = 0; i < 40; i++)
            {
                await Write(store, "papers", Points.Document($"d{i}", $"report {i} on compressor stall number {i}"));
            }
            await Write(store, "papers", new DocumentWrite { DocumentId = "d7" });
        }
        Assert.True(File.Exists(Path.Combine(_data.Path, "collections", "papers", "snapshot.bin")));
        Assert.True(new FileInfo(WalPath("papers")).Length < 2048 + 512);

        using var reopened = Open();

        Assert.Equal(39, reopened.List()[0].DocumentCount);
        Assert.Equal(["d12#0"], Search(reopened, "papers", "12").Select(h => h.Item1));
        Assert.Empty(Search(reopened, "papers", "7"));
    }

    [Fact]
    public async Task Concurrent_writers_and_readers_leave_a_consistent_collection_that_reopens_the_same()
    {
        const int writers = 6, documentsEach = 40;
        using (var store = Open(compactWalBytes: 16 * 1024))
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

        using var reopened = Open();
        Assert.Equal(writers * documentsEach * 3 / 4, reopened.List()[0].DocumentCount);
        Assert.Equal(writers * documentsEach * 3 / 4, reopened.List()[0].PointCount);
        Assert.Equal(10, Search(reopened, "busy", "turbine").Count);
    }

    [Fact]
    public void A_second_store_on_the_same_directory_is_refused()
    {
        using var store = Open();

        var error = Assert.Throws<InvalidOperationException>(() => Open());

        Assert.Contains("in use by another RagSuite process", error.Message);
    }

    [Fact]
    public async Task Deleted_collections_stay_deleted_and_their_names_can_be_reused()
    {
        using (var store = Open())
        {
            store.Create("papers", Config);
            await Write(store, "papers", Points.Document("a", "lift"));
            store.Delete("papers");
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<RagSuiteException>(() => store.Get("papers")).Kind);
            Assert.Equal(ErrorKind.NotFound, Assert.Throws<RagSuiteException>(() => store.Delete("papers")).Kind);
            store.Create("papers", Config);
        }

        using var reopened = Open();
        Assert.Equal(0, reopened.List().Single().DocumentCount);
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "trash")));
    }

    [Fact]
    public void Creating_an_existing_collection_is_a_conflict()
    {
        using var store = Open();
        store.Create("papers", Config);

        Assert.Equal(ErrorKind.Conflict, Assert.Throws<RagSuiteException>(() => store.Create("papers", Config)).Kind);
    }

    [Fact]
    public void A_collection_directory_without_its_manifest_is_an_unfinished_create_and_is_removed()
    {
        Directory.CreateDirectory(Path.Combine(_data.Path, "collections", "half"));

        using var store = Open();

        Assert.Empty(store.List());
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "collections", "half")));
    }

    public void Dispose() => _data.Dispose();
}
