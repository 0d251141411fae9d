using RagSuite.Inference.Models;

namespace RagSuite.Inference.Tokenization;

/// <summary>The tokenizer a model folder's family calls for.</summary>
public static class ModelTokenizers
{
    public static IModelTokenizer Load(ModelFolder folder) => folder.Manifest.Family switch
    {
        ModelFamilies.UseLite => UnigramTokenizer.Load(Path.Combine(folder.Directory, "vocab.json"), folder.Manifest.MaxTokens),
        _ => WordPieceTokenizer.Load(folder.Directory, folder.Manifest.MaxTokens),
    };
}
