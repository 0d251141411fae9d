using RagSuite.Inference.Models;
using RagSuite.Models.Store;
using RagSuite.Testing;

namespace RagSuite.Models.Tests;

/// <summary>
/// USE-lite copied into a scratch models directory and quantised there once for the whole test class; made on
/// first use, so a class whose tests all skip (no model, no npm) never pulls.
/// </summary>
public sealed class QuantizedUseLiteFixture : IDisposable
{
    private readonly TemporaryDirectory _models = new("ragsuite-int8");
    private readonly Lock _gate = new();
    private Task<(ModelFolder Float32, QuantizedModel Int8)>? _quantized;

    public Task<(ModelFolder Float32, QuantizedModel Int8)> GetAsync()
    {
        lock (_gate) return _quantized ??= CreateAsync();
    }

    private async Task<(ModelFolder, QuantizedModel)> CreateAsync()
    {
        var original = await UseLiteModel.EnsureAsync();
        var copy = Path.Combine(_models.Path, ModelCatalog.UseLite);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(original)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var quantized = await new ModelStore(_models.Path).QuantizeAsync(ModelCatalog.UseLite, null, null, CancellationToken.None);
        return (ModelFolder.Open(copy), quantized);
    }

    public void Dispose() => _models.Dispose();
}
