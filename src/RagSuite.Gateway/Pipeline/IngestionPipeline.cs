using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Gateway.Ingestion;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// Load → chunk → embed → upsert. Documents whose content hash is already stored are skipped; changed
/// ones replace their old chunks atomically in the retriever. Chunks of several documents share
/// embedding calls, and documents are written in batches of about <c>UpsertBatchPoints</c> points.
/// Every chunk carries its lineage: source, character offsets, chunker and ingestion time.
/// </summary>
public sealed class IngestionPipeline(IEmbedder embedder, IRetriever retriever, IOptions<GatewayOptions> options,
    GatewayMetrics metrics, TimeProvider time)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task<IngestOutcome> IngestAsync(string collectionName, IReadOnlyList<SourceDocument> documents,
        CancellationToken cancellationToken)
    {
        var collection = await retriever.GetCollectionAsync(new GetCollectionRequest { Name = collectionName }, cancellationToken);
        var embedderInfo = await embedder.GetInfoAsync(cancellationToken);
        var warnings = new List<string>();
        var storesDense = DenseVectorsFor(collection, embedderInfo, warnings);

        var hashes = documents.ToDictionary(d => d.Id, d => ContentHash.Of(d, collection.Config, embedderInfo), StringComparer.Ordinal);
        var lookup = new GetDocumentsRequest { Collection = collectionName };
        lookup.DocumentIds.AddRange(hashes.Keys);
        var stored = (await retriever.GetDocumentsAsync(lookup, cancellationToken)).Documents
            .ToDictionary(d => d.DocumentId, StringComparer.Ordinal);

        // Every document is chunked (and refused, if it must be) before anything is written.
        var outcomes = new List<DocumentOutcome>(documents.Count);
        var planned = new List<(DocumentWrite Write, List<string> Texts)>();
        foreach (var document in documents)
        {
            var hash = hashes[document.Id];
            if (stored.TryGetValue(document.Id, out var existing) && existing.ContentHash == hash)
            {
                outcomes.Add(new DocumentOutcome(document.Id, DocumentStatus.Unchanged, existing.ChunkCount));
                continue;
            }
            var plan = Plan(document, hash, collection.Config.Chunking);
            outcomes.Add(new DocumentOutcome(document.Id, existing is null ? DocumentStatus.Created : DocumentStatus.Updated, plan.Write.Points.Count));
            planned.Add(plan);
        }

        var batch = new List<(DocumentWrite Write, List<string> Texts)>();
        foreach (var plan in planned)
        {
            batch.Add(plan);
            if (batch.Sum(b => b.Texts.Count) >= _options.UpsertBatchPoints)
            {
                await EmbedAndWriteAsync(collectionName, batch, embedderInfo, storesDense, cancellationToken);
            }
        }
        await EmbedAndWriteAsync(collectionName, batch, embedderInfo, storesDense, cancellationToken);

        foreach (var status in System.Enum.GetValues<DocumentStatus>())
        {
            metrics.RecordDocuments(status.ToString().ToLowerInvariant(), outcomes.Count(o => o.Status == status));
        }
        return new IngestOutcome(collectionName, outcomes, warnings);
    }

    /// <summary>The document's points, without vectors yet, and the text a model sees for each.</summary>
    private (DocumentWrite Write, List<string> Texts) Plan(SourceDocument document, string hash, ChunkingParameters chunking)
    {
        var chunks = ChunkPlanner.Plan(document.Text, chunking.MaxTokens, chunking.OverlapTokens);
        if (chunks.Count > _options.MaxChunksPerDocument)
        {
            throw new RagSuiteException(ErrorKind.PayloadTooLarge,
                $"Document '{document.Id}' makes {chunks.Count} chunks of {chunking.MaxTokens} tokens; the limit is {_options.MaxChunksPerDocument}. " +
                "Split the document or use a collection with larger chunks.");
        }
        if (chunks.Count == 0) chunks.Add(new ChunkPlanner.Chunk(0, 0, 0, 0)); // a title-only document is still findable by its title

        var ingestedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        var chunker = $"{ChunkPlanner.Version}(max={chunking.MaxTokens},overlap={chunking.OverlapTokens})";
        var write = new DocumentWrite { DocumentId = document.Id, ContentHash = hash };
        var texts = new List<string>(chunks.Count);
        foreach (var chunk in chunks)
        {
            var text = document.Text[chunk.Start..chunk.End];
            texts.Add(ModelText.Of(document.Title, text));
            write.Points.Add(new Point
            {
                Id = $"{document.Id}#{chunk.Index}",
                DocumentId = document.Id,
                ChunkIndex = chunk.Index,
                Text = text,
                Title = document.Title ?? "",
                Metadata = document.Metadata,
                Lineage = new Lineage
                {
                    Source = document.Source ?? "",
                    StartChar = chunk.Start,
                    EndChar = chunk.End,
                    Chunker = chunker,
                    IngestedAt = ingestedAt,
                },
            });
        }
        return (write, texts);
    }

    private async Task EmbedAndWriteAsync(string collection, List<(DocumentWrite Write, List<string> Texts)> batch,
        EmbedderInfo embedderInfo, bool storesDense, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var points = batch.SelectMany(b => b.Write.Points).ToList();
        var texts = batch.SelectMany(b => b.Texts).ToList();
        var perCall = embedderInfo.MaxBatchSize > 0 ? Math.Min(embedderInfo.MaxBatchSize, _options.EmbedBatchSize) : _options.EmbedBatchSize;

        var started = time.GetTimestamp();
        for (var offset = 0; offset < texts.Count; offset += perCall)
        {
            var request = new EmbedRequest { Kind = InputKind.Passage };
            request.Texts.AddRange(texts.Skip(offset).Take(perCall));
            var embedded = await embedder.EmbedAsync(request, cancellationToken);
            if (storesDense && embedded.DenseModel != embedderInfo.DenseModel)
            {
                // The embedder lost or changed its model mid-ingestion (a restart, say): never store mixed vectors.
                throw new RagSuiteException(ErrorKind.Unavailable,
                    $"The embedder stopped producing '{embedderInfo.DenseModel}' vectors during ingestion ({embedded.DenseUnavailableReason}); nothing more was written.");
            }
            var embeddings = embedded.Embeddings;
            for (var i = 0; i < embeddings.Count; i++)
            {
                if (storesDense) points[offset + i].Dense.Add(embeddings[i].Dense);
                points[offset + i].Sparse = embeddings[i].Sparse;
            }
        }
        metrics.RecordStage("ingest_embed", time.GetElapsedTime(started));

        started = time.GetTimestamp();
        var upsert = new UpsertDocumentsRequest { Collection = collection, DenseModel = storesDense ? embedderInfo.DenseModel : "" };
        upsert.Documents.AddRange(batch.Select(b => b.Write));
        await retriever.UpsertDocumentsAsync(upsert, cancellationToken);
        metrics.RecordStage("ingest_upsert", time.GetElapsedTime(started));
        metrics.RecordChunks(points.Count);
        batch.Clear();
    }

    /// <summary>
    /// Whether this ingestion stores dense vectors. A collection keeps the model it was created with: one made
    /// without a dense model stays sparse (and the response says so); one made with a model takes vectors of
    /// that model only, and is refused anything else rather than mixed.
    /// </summary>
    private static bool DenseVectorsFor(Collection collection, EmbedderInfo embedder, List<string> warnings)
    {
        var stored = collection.Config;
        if (stored.DenseDimension == 0)
        {
            if (embedder.DenseDimension > 0)
            {
                warnings.Add($"Collection '{collection.Name}' was created without a dense model, so only sparse (BM25) vectors were stored; " +
                    $"re-create it to store '{embedder.DenseModel}' vectors.");
            }
            return false;
        }
        if (embedder.DenseDimension == 0)
        {
            throw RagSuiteException.Conflict(
                $"Collection '{collection.Name}' holds '{stored.DenseModel}' vectors, but the embedder has no dense model now " +
                $"({(embedder.DenseUnavailableReason is { Length: > 0 } why ? why : "none is configured")}). Nothing was written.");
        }
        if (stored.DenseModel != embedder.DenseModel || stored.DenseDimension != embedder.DenseDimension)
        {
            throw RagSuiteException.Conflict(
                $"Collection '{collection.Name}' holds {stored.DenseDimension}-dimensional '{stored.DenseModel}' vectors, but the embedder now makes " +
                $"{embedder.DenseDimension}-dimensional '{embedder.DenseModel}' vectors. Re-create the collection to change models; nothing was written.");
        }
        return true;
    }
}

public enum DocumentStatus
{
    Created,
    Updated,
    Unchanged,
}

public sealed record DocumentOutcome(string Id, DocumentStatus Status, int Chunks);

public sealed record IngestOutcome(string Collection, IReadOnlyList<DocumentOutcome> Documents, IReadOnlyList<string> Warnings);
