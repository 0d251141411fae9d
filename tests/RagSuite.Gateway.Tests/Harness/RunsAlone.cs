namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// The load harness runs alone among this assembly's tests: on two cores, any test running beside it takes CPU from the
/// gateway it measures, and the rate it finds would be the other test's noise. Other test assemblies run in processes of
/// their own beside this one, so <c>.ci/run</c> leaves the harnesses (trait <see cref="Category"/>) out of the suite's run
/// and runs them afterwards, alone on the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Load harness";

    /// <summary>The trait value (<c>Category=Harness</c>) a test filter selects or leaves out the harnesses by.</summary>
    public const string Category = "Harness";
}
