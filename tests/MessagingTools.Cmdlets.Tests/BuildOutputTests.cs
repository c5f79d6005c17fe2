using System.Diagnostics;

namespace MessagingTools.Cmdlets.Tests;

/// <summary>What `dotnet publish` of the module project (what build.ps1 -Task Build runs) puts in the module folder.</summary>
public class BuildOutputTests
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "MessagingTools.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MessagingTools.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task ThePublishedModuleHoldsItsDependenciesButNotPowerShellItself()
    {
        var root = RepoRoot();
        var output = Path.Combine(Path.GetTempPath(), "mt-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo("dotnet", $"publish \"{Path.Combine(root, "src", "MessagingTools", "MessagingTools.csproj")}\" -c Release -o \"{output}\" -p:UseSharedCompilation=false")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await p.WaitForExitAsync(timeout.Token);
            Assert.True(p.ExitCode == 0, await stdout + await stderr);

            var files = Directory.GetFiles(output).Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("System.Management.Automation.dll", files);
            Assert.DoesNotContain("Microsoft.PowerShell.CoreCLR.Eventing.dll", files);
            foreach (var needed in new[] { "MessagingTools.dll", "MessagingTools.Core.dll", "MessagingTools.psd1", "System.Text.Json.dll",
                                           "Microsoft.Bcl.AsyncInterfaces.dll", "System.Text.Encodings.Web.dll", "System.Memory.dll" })
                Assert.Contains(needed, files);
            Assert.Contains(files, f => f!.EndsWith(".Format.ps1xml"));
            // Get-Help finds the cmdlets' help and the about topic in the culture folder beside the dll.
            foreach (var help in new[] { "MessagingTools.dll-Help.xml", "about_MessagingTools.help.txt" })
                Assert.True(File.Exists(Path.Combine(output, "en-US", help)), $"en-US/{help} is not in the published module");
            // System.Text.Json must be an 8.0 assembly: PowerShell 7.4 runs on .NET 8 and cannot load a newer one.
            var stj = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(output, "System.Text.Json.dll"));
            Assert.Equal(8, stj.Version!.Major);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
