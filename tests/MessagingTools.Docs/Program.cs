using MessagingTools.Docs;

// Regenerates the files written from the cmdlets' code and doc comments (see DocsGenerator), or with --check only
// lists those that differ and exits 1. `./build.ps1 -Task Docs` runs it:
//   dotnet run --project tests/MessagingTools.Docs -c Release -- [--check] [--root <repository>]
var check = false;
string? root = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--check": check = true; break;
        case "--root" when i + 1 < args.Length: root = args[++i]; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: MessagingTools.Docs [--check] [--root <repository>]");
            return 2;
    }
}
root = Path.GetFullPath(root ?? DocsGenerator.FindRepoRoot(Directory.GetCurrentDirectory()));

if (check)
{
    var stale = DocsGenerator.All(root).Where(f => !f.IsCurrent).ToList();
    foreach (var file in stale) Console.WriteLine($"out of date: {file.RelativePath}");
    Console.WriteLine(stale.Count == 0 ? "Every generated file is current." : $"{stale.Count} file(s) out of date: run {DocsGenerator.Command}");
    return stale.Count == 0 ? 0 : 1;
}

var written = DocsGenerator.Write(root);
foreach (var file in written) Console.WriteLine($"wrote {file.RelativePath}");
Console.WriteLine(written.Count == 0 ? "Every generated file was current." : $"{written.Count} file(s) regenerated.");
return 0;
