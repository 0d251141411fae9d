using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagSuite.Inference.Sessions;

namespace RagSuite.Inference.Tests;

/// <summary>The session factory every test loads models with: default options, so CPU, as a node without a GPU runs.</summary>
internal static class TestSessions
{
    public static OnnxSessionFactory Cpu() => new(Options.Create(new InferenceOptions()), NullLogger<OnnxSessionFactory>.Instance);
}
