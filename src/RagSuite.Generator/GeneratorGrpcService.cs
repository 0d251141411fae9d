using Grpc.Core;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using GeneratorContract = RagSuite.Contracts.V1.Generator;

namespace RagSuite.Generator;

/// <summary>Serves the generator role over ragsuite.v1.Generator, forwarding each event as it is produced.</summary>
internal sealed class GeneratorGrpcService(IGenerator generator) : GeneratorContract.GeneratorBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateEvent> responseStream, ServerCallContext context)
    {
        await foreach (var item in generator.GenerateAsync(request, context.CancellationToken))
        {
            await responseStream.WriteAsync(item, context.CancellationToken);
        }
    }

    public override Task<GeneratorInfo> GetInfo(GetGeneratorInfoRequest request, ServerCallContext context) =>
        generator.GetInfoAsync(context.CancellationToken);
}
