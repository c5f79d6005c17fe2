using System;

namespace MessagingTools.Core.Providers.Zadarma
{
    /// <summary>
    /// A Uri whose query is sent as written. System.Uri rewrites %7E as '~' (an unreserved character), while PHP's
    /// urlencode writes '~' as %7E, and the signed text must be the text sent. .NET 6 and later (PowerShell 7) can keep
    /// the query as written (UriCreationOptions.DangerousDisablePathAndQueryCanonicalization); this assembly targets
    /// netstandard2.0, so the option is found by reflection. Where it does not exist (Windows PowerShell), the Uri may
    /// send '~' for %7E: Zadarma decodes both to the same parameters, so the signature still verifies.
    /// </summary>
    internal static class ExactUri
    {
        private static readonly Func<string, Uri>? s_factory = CreateFactory();

        public static Uri Create(string absolute) => s_factory?.Invoke(absolute) ?? new Uri(absolute, UriKind.Absolute);

        private static Func<string, Uri>? CreateFactory()
        {
            try
            {
                var optionsType = typeof(Uri).Assembly.GetType("System.UriCreationOptions");
                var property = optionsType?.GetProperty("DangerousDisablePathAndQueryCanonicalization");
                var ctor = optionsType is null ? null : typeof(Uri).GetConstructor(new[] { typeof(string), optionsType.MakeByRefType() });
                if (optionsType is null || property is null || ctor is null) return null;
                var options = Activator.CreateInstance(optionsType)!;
                property.SetValue(options, true);
                return text => (Uri)ctor.Invoke(new[] { text, options });
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
