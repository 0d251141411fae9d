await RagSuite.Reranker.RerankerHost.Build(args).RunAsync();
