using System.Text;
using PaySim.Simulator.Cli;

Console.OutputEncoding = new UTF8Encoding(false);
return await CliApp.RunAsync(args);
