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

    public static TheoryData<string> Changes => ["text", "title", "source", "metadata", "chunking", "dense model", "sparse model"];

    [Fact]
    public void The_embedders_dense_model_does_not_count_when_the_collection_stores_no_dense_vectors() =>
        Assert.Equal(ContentHash.Of(Document, Config, Embedder), ContentHash.Of(Document, Config, new EmbedderInfo { SparseModel = Embedder.SparseModel, DenseModel = "use-lite" }));

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
        if (change == "dense model") config.DenseModel = "bge-small";
        if (change == "sparse model") embedder.SparseModel = "bm25-other";

        Assert.NotEqual(ContentHash.Of(Document, Config, Embedder), ContentHash.Of(document, config, embedder));
    }
}
