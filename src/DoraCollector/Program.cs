using DoraCollector.Hosting;

return await CommandLine.RunAsync(args);
