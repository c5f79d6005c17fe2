using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MessagingTools
{
    /// <summary>
    /// Runs when Import-Module loads the assembly. On Windows PowerShell 5.1 (.NET Framework) there are no binding
    /// redirects for a module, so the dependency set (System.Text.Json and the packages it needs) is resolved from
    /// the module's own folder whatever version another assembly asks for; TLS 1.2 is enabled and the per-host
    /// connection limit raised so that -ThrottleLimit is honoured. On PowerShell 7 the runtime's own copies of
    /// these assemblies are newer and win; the handler only serves what the runtime lacks.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string s_moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
        private static readonly HashSet<string> s_dependencies = FindDependencies();

        public static bool IsDesktop => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        public void OnImport()
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleDirectory;
            if (IsDesktop)
            {
#pragma warning disable CA5364, CA5386 // adding TLS 1.2 to what the process allows, not pinning an old protocol
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
#pragma warning restore CA5364, CA5386
                if (ServicePointManager.DefaultConnectionLimit < 64) ServicePointManager.DefaultConnectionLimit = 64;
                // .NET Framework sends "Expect: 100-continue" on every POST and waits for the interim answer,
                // which costs a round trip (or 350 ms) per message; the providers do not need it.
                ServicePointManager.Expect100Continue = false;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleDirectory;

        /// <summary>Serves an assembly of the module's own dependency set from the module folder, whatever version was asked for.</summary>
        internal static Assembly? ResolveFromModuleDirectory(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (name is null || !s_dependencies.Contains(name)) return null;
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
                if (string.Equals(loaded.GetName().Name, name, StringComparison.OrdinalIgnoreCase)) return loaded;
            var path = Path.Combine(s_moduleDirectory, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }

        private static HashSet<string> FindDependencies()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            try
            {
                foreach (var file in Directory.GetFiles(s_moduleDirectory, "*.dll"))
                    names.Add(Path.GetFileNameWithoutExtension(file));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            names.Remove("MessagingTools");
            return names;
        }
    }
}
