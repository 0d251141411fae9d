await RagSuite.Embedder.EmbedderHost.Build(args).RunAsync();
