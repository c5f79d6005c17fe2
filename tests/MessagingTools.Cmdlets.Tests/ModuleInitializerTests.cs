namespace MessagingTools.Cmdlets.Tests;

/// <summary>
/// The resolver Windows PowerShell 5.1 relies on (it has no binding redirects for modules): any version of an
/// assembly of the module's dependency set is served from the module folder; other names are left alone.
/// </summary>
public class ModuleInitializerTests
{
    [Fact]
    public void ADependencyAskedForInAnotherVersionIsServedFromTheModuleFolder()
    {
        // On .NET 10 the framework's own System.Text.Json family wins, so the test folder holds only the module's
        // own assemblies and packages the framework lacks; MessagingTools.Core is one of the module's set.
        var args = new ResolveEventArgs("MessagingTools.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=null");
        var assembly = ModuleInitializer.ResolveFromModuleDirectory(null, args);
        Assert.NotNull(assembly);
        Assert.Equal(typeof(MessagingTools.Core.Security.Secret).Assembly, assembly);
    }

    [Fact]
    public void NamesOutsideTheDependencySetAreNotResolved()
    {
        Assert.Null(ModuleInitializer.ResolveFromModuleDirectory(null, new ResolveEventArgs("Some.Other.Library, Version=1.0.0.0")));
        Assert.Null(ModuleInitializer.ResolveFromModuleDirectory(null, new ResolveEventArgs("MessagingTools, Version=1.0.0.0")));
    }

    [Fact]
    public void OnPowerShell7NoFrameworkSettingsAreTouched() => Assert.False(ModuleInitializer.IsDesktop);
}
