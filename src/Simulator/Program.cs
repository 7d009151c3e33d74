using System.Text;
using PaySim.Simulator.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
using var signals = new ShutdownSignals(Console.Error, "stopping the simulator (Ctrl+C again to quit at once)");
return await CliApp.RunAsync(args, cancellationToken: signals.Token);
