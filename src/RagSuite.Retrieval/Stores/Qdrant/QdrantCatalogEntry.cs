using System.Text.Json.Nodes;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// What the catalogue collection holds for one RagSuite collection (the payload of a vector-less point): its name,
/// its <c>CollectionConfig</c> as JSON, when it was made and the BM25 average length its points were saturated with.
/// Qdrant keeps it, so the retriever stays stateless.
/// </summary>
internal sealed record QdrantCatalogEntry(string Name, JsonNode Config, DateTime CreatedAt, float Bm25AverageLength);
