using PaySim.LoadTests.Cli;

return await LoadTestsCli.InvokeAsync(args).ConfigureAwait(false);
