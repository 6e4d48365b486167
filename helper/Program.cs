using System.CommandLine;
var root = new RootCommand("om-lifecycle");
return root.Parse(args).Invoke();
