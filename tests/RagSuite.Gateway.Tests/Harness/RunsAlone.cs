namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// The load harness runs alone among this assembly's tests: on two cores, any test running beside it takes CPU from the
/// gateway it measures, and the rate it finds would be the other test's noise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Load harness";
}
