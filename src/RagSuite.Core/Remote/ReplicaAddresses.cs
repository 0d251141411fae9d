using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RagSuite.Core.Remote;

/// <summary>
/// Turns a role's <see cref="RemoteServiceOptions.Address"/> or <see cref="RemoteServiceOptions.Addresses"/> into the
/// target its gRPC channel balances over: one address as it is; a <c>dns:///</c> name re-resolved on a timer (and at
/// once when a replica's connection fails), so pods an autoscaler adds take traffic within seconds; a list of replicas
/// through a static resolver (<c>static:///role</c>).
/// </summary>
internal static class ReplicaAddresses
{
    public static string Rule(string section) =>
        $"{section}:Address must be an absolute http://, https:// or dns:///host:port address, or {section}:Addresses a list of " +
        "http:// or https:// addresses (one scheme for all); not both.";

    /// <summary>Section key of how often <c>dns:///</c> addresses are resolved again (a TimeSpan, 5 s unless set).</summary>
    public const string DnsRefreshIntervalKey = RemoteServiceOptions.SectionPrefix + ":DnsRefreshInterval";

    private const string StaticScheme = "static";

    public static bool Valid(RemoteServiceOptions options) => (options.Address, options.Addresses) switch
    {
        ({ } one, []) => one.IsAbsoluteUri && one.Scheme is "http" or "https" or "dns",
        (null, [_, ..] many) => many.All(a => a.IsAbsoluteUri && a.Scheme is "http" or "https" && a.AbsolutePath == "/")
            && many.Select(a => a.Scheme).Distinct().Count() == 1,
        _ => false,
    };

    public static Uri ChannelTarget(string role, RemoteServiceOptions options) =>
        options.Address ?? new Uri($"{StaticScheme}:///{role}");

    public static string TlsRule(string section) =>
        $"{Security.ServiceTlsOptions.Section}:Enabled is true, so {section}:Address must be dns:/// or https://, and every one of " +
        $"{section}:Addresses https://: an http:// address would call the service in cleartext.";

    /// <summary>With service TLS on, no address may name plain http://.</summary>
    public static bool ValidWithTls(RemoteServiceOptions options, bool serviceTls) =>
        !serviceTls || (options.Address?.Scheme != "http" && options.Addresses.All(a => a.Scheme != "http"));

    /// <summary>Whether calls to these replicas use TLS: service TLS is on, or the addresses say https://.</summary>
    public static bool UsesTls(RemoteServiceOptions options, bool serviceTls) =>
        serviceTls || (options.Address?.Scheme ?? options.Addresses.FirstOrDefault()?.Scheme) == "https";

    public static void AddResolvers(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, DnsResolverFactory>(sp =>
            new DnsResolverFactory(sp.GetRequiredService<IConfiguration>().GetValue(DnsRefreshIntervalKey, TimeSpan.FromSeconds(5)))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, StaticResolverFactory>(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<RemoteServiceOptions>>();
            return new StaticResolverFactory(target => options.Get(target.AbsolutePath.Trim('/')).Addresses
                .Select(a => new BalancerAddress(a.Host, a.Port)));
        }));
    }
}
