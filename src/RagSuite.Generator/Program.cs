await RagSuite.Generator.GeneratorHost.Build(args).RunAsync();
