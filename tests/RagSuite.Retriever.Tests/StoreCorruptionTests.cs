using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval;
using RagSuite.Retrieval.Storage;
using RagSuite.Testing;
using static RagSuite.Retriever.Tests.EmbeddedVectorStoreTests;

namespace RagSuite.Retriever.Tests;

/// <summary>
/// Damaged files, case by case: only an unfinished last write is cut silently. Anything else leaves every byte where
/// it was, names the file, keeps the other collection serving and makes the damaged one refuse requests, until
/// repair recovers every intact record.
/// </summary>
public sealed class StoreCorruptionTests : IDisposable
{
    private const int Documents = 80, LateDocuments = 3, Total = Documents + LateDocuments;
    private const long SegmentBytes = 4096;
    private readonly TemporaryDirectory _data = new();

    private string Papers => Path.Combine(_data.Path, "collections", "papers");

    private static string Text(int i) => $"measurement {1000 + i} of the boundary layer over plate {i}";

    public static TheoryData<string, string, bool, int> Cases => new()
    {
        // case, file it names, still available, documents that repair must bring back (at least)
        { "log: byte flipped in a segment header", LogSegment.NameOf(1), false, Total },
        { "log: byte flipped mid-segment", LogSegment.NameOf(1), false, Total - 1 },
        { "log: byte flipped in the last record", "last", false, Total - 1 },
        { "log: byte flipped in a record header", LogSegment.NameOf(2), false, Total - 1 },
        { "log: sealed segment truncated mid-way", LogSegment.NameOf(1), false, Documents / 4 },
        { "log: sealed segment empty", LogSegment.NameOf(2), false, Documents / 3 },
        { "log: first segment missing", LogSegment.NameOf(1), false, Documents / 3 },
        { "log: last segment missing", "last", false, Documents / 2 },
        { "log: unfinished last write", "", true, Total - 1 },
        { "index: byte flipped at the start", IndexCheckpoint.FileName, false, Total },
        { "index: byte flipped in the middle", IndexCheckpoint.FileName, false, Total },
        { "index: last byte flipped", IndexCheckpoint.FileName, false, Total },
        { "index: truncated", IndexCheckpoint.FileName, false, Total },
        { "index: empty", IndexCheckpoint.FileName, false, Total },
        { "manifest: missing", StoredCollection.ManifestFile, false, Total },
        { "manifest: empty", StoredCollection.ManifestFile, false, Total },
        { "manifest: truncated", StoredCollection.ManifestFile, false, Total },
        { "manifest: byte flipped", StoredCollection.ManifestFile, false, Total },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Damage_is_kept_reported_and_repaired(string damage, string file, bool available, int recoverable)
    {
        await CreateAsync();
        var last = LogSegment.NameOf(LogSegment.Numbers(Papers).Max());
        Damage(damage, last);
        var damaged = Fingerprint(Papers);

        using (var store = await OpenAsync(_data.Path, SegmentBytes))
        {
            Assert.Equal(10, Search(store, "other", "boundary").Count);
            if (available)
            {
                Assert.Equal(Total - 1, store.List().Single(c => c.Name == "papers").DocumentCount);
                return;
            }
            var error = Assert.Throws<RagSuiteException>(() => store.Get("papers"));
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
            Assert.Contains(file == "last" ? last : file, error.Message);
            Assert.Contains("ragsuite store repair", error.Message);
            Assert.Contains("papers", store.Damaged.Keys);
        }
        Assert.Equal(damaged, Fingerprint(Papers));
        Assert.Contains(CollectionRepair.Check(_data.Path), c => c.Collection == "papers" && c.Problem is not null);

        var repaired = CollectionRepair.Repair(_data.Path, "papers", new RetrieverOptions { SegmentBytes = SegmentBytes });

        Assert.Equal(damaged, Fingerprint(repaired.MovedTo));
        Assert.All(CollectionRepair.Check(_data.Path), c => Assert.Null(c.Problem));
        using var reopened = await OpenAsync(_data.Path, SegmentBytes);
        var papers = reopened.Get("papers");
        Assert.InRange(repaired.DocumentCount, recoverable, Total);
        Assert.Equal(repaired.DocumentCount, papers.Describe().DocumentCount);
        for (var i = 0; i < Total; i++)
        {
            // Every document that came back is whole and reads back its own text.
            if (papers.Read(index => index.FindDocument($"d{i}")) is null) continue;
            var hit = papers.Read(index => index.Search(Points.Search("papers", Text(i), topK: 1), FusionMode.SparseOnly)).Hits.Single();
            Assert.Equal(Text(i), hit.Point.Text);
        }
    }

    [Theory]
    [InlineData("RSIDX001")]
    [InlineData("RSIDX002")]
    public async Task An_index_checkpoint_in_an_earlier_format_is_rebuilt_from_the_log_and_replaced(string magic)
    {
        await CreateAsync();
        var index = Path.Combine(Papers, IndexCheckpoint.FileName);
        var body = File.ReadAllBytes(index)[..^8];
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(body, 0);
        File.WriteAllBytes(index, [.. body, .. System.IO.Hashing.XxHash64.Hash(body)]);

        using (var store = await OpenAsync(_data.Path, SegmentBytes))
        {
            Assert.Empty(store.Damaged);
            Assert.Equal(Total, store.Get("papers").Describe().DocumentCount);
            var hit = store.Get("papers").Read(index => index.Search(Points.Search("papers", Text(7), topK: 1), FusionMode.SparseOnly)).Hits.Single();
            Assert.Equal(Text(7), hit.Point.Text);
        }

        Assert.Equal("RSIDX003"u8.ToArray(), File.ReadAllBytes(index)[..8]);
    }

    /// <summary>
    /// Two collections; papers is closed cleanly once (so index.bin covers its first writes), then written to again
    /// and left as a killed process leaves it, so its log runs on past the checkpoint.
    /// </summary>
    private async Task CreateAsync()
    {
        using (var store = await OpenAsync(_data.Path, SegmentBytes))
        {
            store.Create("papers", Config);
            store.Create("other", Config);
            for (var i = 0; i < Documents; i++)
            {
                await Write(store, "papers", Points.Document($"d{i}", Text(i)));
                await Write(store, "other", Points.Document($"d{i}", Text(i)));
            }
        }
        Assert.True(LogSegment.Numbers(Papers).Count >= 3, $"the case table needs a log of several segments: {string.Join(", ", Directory.GetFiles(Papers).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}"))}");
        var killed = _data.Path + "-killed";
        using (var store = await OpenAsync(_data.Path, SegmentBytes))
        {
            for (var i = Documents; i < Total; i++) await Write(store, "papers", Points.Document($"d{i}", Text(i)));
            CopyDirectory(Papers, killed);
        }
        Directory.Delete(Papers, recursive: true);
        Directory.Move(killed, Papers);
    }

    private void Damage(string damage, string last)
    {
        string Path_(string name) => Path.Combine(Papers, name);
        var first = Path_(LogSegment.NameOf(1));
        var second = Path_(LogSegment.NameOf(2));
        var index = Path_(IndexCheckpoint.FileName);
        var manifest = Path_(StoredCollection.ManifestFile);
        switch (damage)
        {
            case "log: byte flipped in a segment header": Flip(first, 3); break;
            case "log: byte flipped mid-segment": Flip(first, new FileInfo(first).Length / 2); break;
            case "log: byte flipped in the last record": Flip(Path_(last), new FileInfo(Path_(last)).Length - 5); break;
            case "log: byte flipped in a record header": Flip(second, HeaderBytes(second) + 6); break;
            case "log: sealed segment truncated mid-way": Truncate(first, new FileInfo(first).Length / 2); break;
            case "log: sealed segment empty": Truncate(second, 0); break;
            case "log: first segment missing": File.Delete(first); break;
            case "log: last segment missing": File.Delete(Path_(last)); break;
            case "log: unfinished last write": Truncate(Path_(last), new FileInfo(Path_(last)).Length - 7); break;
            case "index: byte flipped at the start": Flip(index, 0); break;
            case "index: byte flipped in the middle": Flip(index, new FileInfo(index).Length / 2); break;
            case "index: last byte flipped": Flip(index, new FileInfo(index).Length - 1); break;
            case "index: truncated": Truncate(index, new FileInfo(index).Length * 2 / 3); break;
            case "index: empty": Truncate(index, 0); break;
            case "manifest: missing": File.Delete(manifest); break;
            case "manifest: empty": Truncate(manifest, 0); break;
            case "manifest: truncated": Truncate(manifest, new FileInfo(manifest).Length / 2); break;
            case "manifest: byte flipped": Flip(manifest, 2); break;
            default: throw new ArgumentException(damage);
        }
    }

    private static int HeaderBytes(string segment)
    {
        using var stream = File.OpenRead(segment);
        return LogSegment.ReadHeader(stream, segment).Bytes;
    }

    private static void Flip(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open);
        stream.SetLength(length);
    }

    /// <summary>Every file's name and content hash: proof that nothing was changed, cut or deleted.</summary>
    private static Dictionary<string, string> Fingerprint(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    public void Dispose() => _data.Dispose();
}
