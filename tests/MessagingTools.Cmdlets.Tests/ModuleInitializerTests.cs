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
        var args = new ResolveEventArgs("System.Text.Encodings.Web, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");
        var assembly = ModuleInitializer.ResolveFromModuleDirectory(null, args);
        Assert.NotNull(assembly);
        Assert.Equal("System.Text.Encodings.Web", assembly!.GetName().Name);
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
