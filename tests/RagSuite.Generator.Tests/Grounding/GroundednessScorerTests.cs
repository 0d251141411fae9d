using Microsoft.Extensions.Logging.Abstractions;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RagSuite.Generation;
using RagSuite.Generation.Grounding;
using RagSuite.Testing;

namespace RagSuite.Generator.Tests.Grounding;

public sealed class GroundednessScorerTests
{
    private const string Answer = "The Eiffel Tower is 330 metres tall [1].";

    private static readonly Dictionary<int, SourcePassage> Sources = new()
    {
        [1] = new SourcePassage { Id = "eiffel", Title = "Eiffel Tower", Text = "The Eiffel Tower is 330 metres tall. It stands in Paris." },
    };

    [Fact]
    public async Task An_embedder_without_a_dense_model_is_not_asked_again_until_the_memory_expires()
    {
        var embedder = new CountingEmbedder { Dense = false };
        var clock = new ManualClock();
        var scorer = new GroundednessScorer(embedder, new GeneratorOptions(), clock, NullLogger<GroundednessScorer>.Instance);

        var first = await scorer.ScoreAsync(Answer, Sources, 0.5, CancellationToken.None);
        var second = await scorer.ScoreAsync(Answer, Sources, 0.5, CancellationToken.None);
        Assert.Equal(1, embedder.Calls);
        Assert.All([first, second], g => Assert.Equal((GroundednessScorer.LexicalMethod, 1.0), (g.Method, g.Score)));

        embedder.Dense = true;
        clock.Advance(GroundednessScorer.NoDenseMemory);
        var later = await scorer.ScoreAsync(Answer, Sources, 0.5, CancellationToken.None);

        Assert.Equal(2, embedder.Calls);
        Assert.Equal(GroundednessScorer.EmbeddingMethod, later.Method);
    }

    [Fact]
    public async Task An_embedder_with_a_dense_model_is_asked_for_every_answer()
    {
        var embedder = new CountingEmbedder { Dense = true };
        var scorer = new GroundednessScorer(embedder, new GeneratorOptions(), new ManualClock(), NullLogger<GroundednessScorer>.Instance);

        for (var i = 0; i < 3; i++) Assert.Equal(GroundednessScorer.EmbeddingMethod, (await scorer.ScoreAsync(Answer, Sources, 0.5, CancellationToken.None)).Method);

        Assert.Equal(3, embedder.Calls);
    }

    /// <summary>Embeds each text as a vector of its length, or gives sparse vectors only, as an embedder without a dense model does.</summary>
    private sealed class CountingEmbedder : IEmbedder
    {
        private int _calls;

        public bool Dense { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<EmbedResponse> EmbedAsync(EmbedRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var response = new EmbedResponse();
            foreach (var text in request.Texts)
            {
                var embedding = new Embedding { Sparse = new SparseVector() };
                if (Dense) embedding.Dense.AddRange([1f, text.Length]);
                response.Embeddings.Add(embedding);
            }
            return Task.FromResult(response);
        }

        public Task<EmbedderInfo> GetInfoAsync(CancellationToken cancellationToken) => Task.FromResult(new EmbedderInfo());
    }
}
