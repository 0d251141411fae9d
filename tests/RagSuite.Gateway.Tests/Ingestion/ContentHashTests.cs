using Google.Protobuf.WellKnownTypes;
using RagSuite.Contracts.V1;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Tests.Ingestion;

public sealed class ContentHashTests
{
    private static readonly CollectionConfig Config = new() { Chunking = new ChunkingParameters { MaxTokens = 256, OverlapTokens = 32 } };
    private static readonly EmbedderInfo Embedder = new() { SparseModel = "bm25-xxhash32-words-v1" };
    private static readonly SourceDocument Document = new("d", "Some text.", "Title", "src.txt", new Struct { Fields = { ["k"] = Value.ForString("v") } });

    [Fact]
    public void Same_document_and_settings_give_the_same_hash() =>
        Assert.Equal(ContentHash.Of(Document, Config, Embedder), ContentHash.Of(Document with { }, Config.Clone(), Embedder.Clone()));

    public static TheoryData<string> Changes => ["text", "title", "source", "metadata", "chunking", "model"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Anything_that_changes_stored_points_changes_the_hash(string change)
    {
        var config = Config.Clone();
        var embedder = Embedder.Clone();
        var document = change switch
        {
            "text" => Document with { Text = "Other text." },
            "title" => Document with { Title = null },
            "source" => Document with { Source = "other.txt" },
            "metadata" => Document with { Metadata = new Struct { Fields = { ["k"] = Value.ForString("w") } } },
            _ => Document,
        };
        if (change == "chunking") config.Chunking.MaxTokens = 128;
        if (change == "model") embedder.DenseModel = "bge-small";

        Assert.NotEqual(ContentHash.Of(Document, Config, Embedder), ContentHash.Of(document, config, embedder));
    }
}
