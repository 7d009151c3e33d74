using System.Text;
using PaySim.Simulator.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
using var signals = new ShutdownSignals(Console.Error, CliApp.ServeStopNotice);
signals.Notice = CliApp.StopNotice(args);
return await CliApp.RunAsync(args, cancellationToken: signals.Token);
