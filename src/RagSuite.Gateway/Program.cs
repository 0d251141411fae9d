await RagSuite.Gateway.GatewayHost.Build(args).RunAsync();
