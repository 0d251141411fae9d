using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Load → chunk → embed → upsert. Documents whose content hash is already stored are skipped; changed
/// ones replace their old chunks atomically in the retriever. Every chunk carries its lineage: source,
/// character offsets, chunker and ingestion time.
/// </summary>
public sealed class IngestionPipeline(IEmbedder embedder, IRetriever retriever, IOptions<GatewayOptions> options,
    GatewayMetrics metrics, TimeProvider time)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task<IngestOutcome> IngestAsync(string collectionName, IReadOnlyList<SourceDocument> documents,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var collection = await retriever.GetCollectionAsync(new GetCollectionRequest { Name = collectionName }, cancellationToken);
        var embedderInfo = await embedder.GetInfoAsync(cancellationToken);
        EnsureSameModel(collection, embedderInfo);

        var hashes = documents.ToDictionary(d => d.Id, d => ContentHash.Of(d, collection.Config, embedderInfo), StringComparer.Ordinal);
        var lookup = new GetDocumentsRequest { Collection = collectionName };
        lookup.DocumentIds.AddRange(hashes.Keys);
        var stored = (await retriever.GetDocumentsAsync(lookup, cancellationToken)).Documents
            .ToDictionary(d => d.DocumentId, StringComparer.Ordinal);

        var outcomes = new List<DocumentOutcome>(documents.Count);
        var pending = new List<DocumentWrite>();
        var pendingPoints = 0;
        foreach (var document in documents)
        {
            var hash = hashes[document.Id];
            if (stored.TryGetValue(document.Id, out var existing) && existing.ContentHash == hash)
            {
                outcomes.Add(new DocumentOutcome(document.Id, DocumentStatus.Unchanged, existing.ChunkCount));
                progress?.Report(1);
                continue;
            }
            var write = await BuildWriteAsync(document, hash, collection.Config.Chunking, embedderInfo, cancellationToken);
            outcomes.Add(new DocumentOutcome(document.Id, existing is null ? DocumentStatus.Created : DocumentStatus.Updated, write.Points.Count));
            pending.Add(write);
            pendingPoints += write.Points.Count;
            if (pendingPoints >= _options.UpsertBatchPoints)
            {
                await UpsertAsync(collectionName, pending, progress, cancellationToken);
                pendingPoints = 0;
            }
        }
        await UpsertAsync(collectionName, pending, progress, cancellationToken);

        foreach (var status in System.Enum.GetValues<DocumentStatus>())
        {
            metrics.RecordDocuments(status.ToString().ToLowerInvariant(), outcomes.Count(o => o.Status == status));
        }
        return new IngestOutcome(collectionName, outcomes);
    }

    private async Task<DocumentWrite> BuildWriteAsync(SourceDocument document, string hash, ChunkingParameters chunking,
        EmbedderInfo embedderInfo, CancellationToken cancellationToken)
    {
        var chunks = ChunkPlanner.Plan(document.Text, chunking.MaxTokens, chunking.OverlapTokens);
        if (chunks.Count == 0) chunks.Add(new ChunkPlanner.Chunk(0, 0, 0, 0)); // a title-only document is still findable by its title
        var texts = chunks.Select(c => ModelText.Of(document.Title, document.Text[c.Start..c.End])).ToList();
        var embeddings = new List<Contracts.V1.Embedding>(texts.Count);
        var batchSize = embedderInfo.MaxBatchSize > 0 ? Math.Min(embedderInfo.MaxBatchSize, _options.EmbedBatchSize) : _options.EmbedBatchSize;
        var started = time.GetTimestamp();
        foreach (var batch in texts.Chunk(batchSize))
        {
            var request = new EmbedRequest { Kind = InputKind.Passage };
            request.Texts.AddRange(batch);
            embeddings.AddRange((await embedder.EmbedAsync(request, cancellationToken)).Embeddings);
        }
        metrics.RecordStage("ingest_embed", time.GetElapsedTime(started));

        var ingestedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        var chunker = $"{ChunkPlanner.Version}(max={chunking.MaxTokens},overlap={chunking.OverlapTokens})";
        var write = new DocumentWrite { DocumentId = document.Id, ContentHash = hash };
        for (var i = 0; i < chunks.Count; i++)
        {
            write.Points.Add(new Point
            {
                Id = $"{document.Id}#{i}",
                DocumentId = document.Id,
                ChunkIndex = i,
                Text = document.Text[chunks[i].Start..chunks[i].End],
                Title = document.Title ?? "",
                Metadata = document.Metadata,
                Lineage = new Lineage
                {
                    Source = document.Source ?? "",
                    StartChar = chunks[i].Start,
                    EndChar = chunks[i].End,
                    Chunker = chunker,
                    IngestedAt = ingestedAt,
                },
                Dense = { embeddings[i].Dense },
                Sparse = embeddings[i].Sparse,
            });
        }
        return write;
    }

    private async Task UpsertAsync(string collection, List<DocumentWrite> pending, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return;
        var request = new UpsertDocumentsRequest { Collection = collection };
        request.Documents.AddRange(pending);
        var started = time.GetTimestamp();
        await retriever.UpsertDocumentsAsync(request, cancellationToken);
        metrics.RecordStage("ingest_upsert", time.GetElapsedTime(started));
        metrics.RecordChunks(pending.Sum(d => d.Points.Count));
        progress?.Report(pending.Count);
        pending.Clear();
    }

    private static void EnsureSameModel(Collection collection, EmbedderInfo embedder)
    {
        if (collection.Config.DenseDimension != embedder.DenseDimension)
        {
            throw RagSuiteException.Conflict(
                $"Collection '{collection.Name}' holds {collection.Config.DenseDimension}-dimensional dense vectors " +
                $"('{collection.Config.DenseModel}'), but the embedder now produces {embedder.DenseDimension} ('{embedder.DenseModel}'). " +
                "Re-create the collection to change models.");
        }
    }
}

public enum DocumentStatus
{
    Created,
    Updated,
    Unchanged,
}

public sealed record DocumentOutcome(string Id, DocumentStatus Status, int Chunks);

public sealed record IngestOutcome(string Collection, IReadOnlyList<DocumentOutcome> Documents);
