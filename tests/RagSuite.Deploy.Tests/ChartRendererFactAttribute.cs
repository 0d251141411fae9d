namespace RagSuite.Deploy.Tests;

/// <summary>A fact that needs tools/chart-render: skips, saying how to get Go and sprig, where they are missing.</summary>
public sealed class ChartRendererFactAttribute : FactAttribute
{
    public ChartRendererFactAttribute() => Skip = new ChartRendererTheoryAttribute().Skip;
}
