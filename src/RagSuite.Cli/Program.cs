using System.Globalization;

// Output and parsing are culture-free whatever the user's locale; ICU is loaded only for Unicode normalisation.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
return await RagSuite.Cli.RagSuiteCommand.Create().Parse(args).InvokeAsync();
