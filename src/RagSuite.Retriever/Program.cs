await RagSuite.Retriever.RetrieverHost.Build(args).RunAsync();
