return await RagSuite.Cli.RagSuiteCommand.Create().Parse(args).InvokeAsync();
