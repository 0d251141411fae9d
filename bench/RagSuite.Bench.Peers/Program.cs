using System.Globalization;

// Numbers print the same whatever the machine's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return await RagSuite.Bench.Peers.PeersCommand.Create().Parse(args).InvokeAsync();
