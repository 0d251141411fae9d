using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using RagSuite.Gateway;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite serve</c>: the whole suite in one process (gateway plus the four roles, data in a local
/// directory). Any <c>--Section:Key=value</c> after the options is passed to the host's configuration,
/// e.g. <c>--RagSuite:Services:Embedder:Address=http://gpu-box:8081</c> to use a remote embedder.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var port = new Option<int>("--port", "-p") { Description = "HTTP port", DefaultValueFactory = _ => 8080 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var store = CommonOptions.Store();
        var command = new Command("serve", "Start the embedded suite: REST API, OpenAPI at /openapi/v1.json, metrics at /metrics")
        {
            data, models, port, bind, store,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            string[] args =
            [
                $"--{RagSuite.Retrieval.RetrieverOptions.Section}:DataDirectory={Path.GetFullPath(parse.GetValue(data)!)}",
                $"--{Inference.Models.ModelsOptions.Section}:Directory={Path.GetFullPath(parse.GetValue(models)!)}",
                $"--{ServiceDefaults.HostingOptions.Section}:HttpPort={parse.GetValue(port)}",
                $"--{ServiceDefaults.HostingOptions.Section}:BindAddress={parse.GetValue(bind)}",
                .. CommonOptions.StoreSetting(parse, store),
                .. parse.UnmatchedTokens,
            ];
            await ModelPuller.EnsureAsync(parse.GetValue(models)!, ModelPuller.ConfiguredModel(args), cancellationToken);
            await GatewayHost.Build(args).RunAsync(cancellationToken);
            return 0;
        }));
        return command;
    }
}
