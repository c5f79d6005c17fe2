using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MessagingTools.Docs;

/// <summary>The module's cmdlets as the generators read them: by reflection over MessagingTools.dll.</summary>
public static class CmdletModel
{
    /// <summary>The module assembly.</summary>
    public static readonly Assembly Module = typeof(MessagingTools.Commands.Bale.SendBaleMessageCommand).Assembly;

    /// <summary>The address every cmdlet's HelpUri starts with (MessagingTools.Internal.OnlineHelp.Base, an internal constant).</summary>
    public static string OnlineHelpBase =>
        (string)Module.GetType("MessagingTools.Internal.OnlineHelp", throwOnError: true)!
            .GetField("Base", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.GetRawConstantValue()!;

    /// <summary>Every cmdlet class of the module.</summary>
    public static IEnumerable<Type> CmdletTypes() =>
        Module.GetTypes().Where(t => !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null);

    public static string CmdletName(Type t)
    {
        var a = t.GetCustomAttribute<CmdletAttribute>()!;
        return $"{a.VerbName}-{a.NounName}";
    }

    /// <summary>The provider of each cmdlet namespace (MessagingTools.Commands.&lt;namespace&gt;), in the order the docs list them.</summary>
    public static readonly (string Namespace, string Provider)[] Providers =
    {
        ("Bale", "Bale (Safir)"), ("Zadarma", "Zadarma"), ("FlashCall", "Flash call"), ("Feedbot", "FeedBot"), ("Journal", "Journals"),
    };

    public static string ProviderOf(Type t) => Providers.Single(p => t.Namespace == "MessagingTools.Commands." + p.Namespace).Provider;

    /// <summary>The cmdlets grouped by provider (in <see cref="Providers"/> order), each group in the order of the manifest's exports.</summary>
    public static IEnumerable<(string Provider, List<Type> Cmdlets)> ByProvider(string repoRoot)
    {
        var exported = ManifestOrder(repoRoot);
        return Providers.Select(p => (p.Provider, CmdletTypes().Where(t => ProviderOf(t) == p.Provider)
            .OrderBy(t => exported.IndexOf(CmdletName(t))).ToList()));
    }

    private static List<string> ManifestOrder(string repoRoot)
    {
        var manifest = File.ReadAllText(Path.Combine(repoRoot, "MessagingTools.psd1"));
        var list = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        return Regex.Matches(list, @"'(?<name>[\w-]+)'").Select(m => m.Groups["name"].Value).ToList();
    }

    /// <summary>The parameters Get-Help shows, in its order: positional first, then mandatory, the cmdlet's own before its bases'.</summary>
    public static IEnumerable<PropertyInfo> Parameters(Type t) =>
        t.GetProperties()
            .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => !a.DontShow))
            .OrderBy(p => p.GetCustomAttributes<ParameterAttribute>().Min(a => a.Position < 0 ? int.MaxValue : a.Position))
            .ThenBy(p => p.GetCustomAttributes<ParameterAttribute>().Any(a => a.Mandatory) ? 0 : 1)
            .ThenBy(p => Depth(t, p.DeclaringType!)) // the cmdlet's own, then its provider's, then the common ones
            .ThenBy(p => p.MetadataToken);

    private static int Depth(Type t, Type declaring)
    {
        int depth = 0;
        for (var x = t; x != null && (x.IsGenericType ? x.GetGenericTypeDefinition() : x) != (declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring); x = x.BaseType)
            depth++;
        return depth;
    }

    /// <summary>
    /// The cmdlet's parameter sets in the order of its syntax items (the default set first), or only
    /// <see cref="ParameterAttribute.AllParameterSets"/> when it has none of its own.
    /// </summary>
    public static List<string> ParameterSets(Type type)
    {
        var a = type.GetCustomAttribute<CmdletAttribute>()!;
        var sets = Parameters(type).SelectMany(p => p.GetCustomAttributes<ParameterAttribute>().Select(x => x.ParameterSetName))
            .Where(s => s != ParameterAttribute.AllParameterSets).Distinct().OrderBy(s => s == a.DefaultParameterSetName ? 0 : 1).ThenBy(s => s).ToList();
        if (sets.Count == 0) sets.Add(ParameterAttribute.AllParameterSets);
        return sets;
    }

    /// <summary>
    /// Each parameter's default as the code sets it: the property's value in a new instance of the cmdlet (its
    /// initializer), shown when it says something (not null, empty, zero or the type's default; a switch is False).
    /// </summary>
    public static Dictionary<string, string> CodeDefaults(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        try
        {
            var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in Parameters(type))
            {
                var text = DefaultText(p.GetValue(instance), Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType);
                if (text != null) defaults[p.Name] = text;
            }
            return defaults;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static string? DefaultText(object? value, Type type)
    {
        switch (value)
        {
            case null: return null;
            case SwitchParameter s: return s.IsPresent ? "True" : "False";
            case string text: return text.Length == 0 ? null : text;
            case Array array: return array.Length == 0 ? null : string.Join(", ", array.Cast<object>());
            case TimeSpan span when span != TimeSpan.Zero: return $"{span:c} ({Words(span)})";
        }
        if (type.IsEnum) return value.ToString();
        if (type.IsValueType && value.Equals(Activator.CreateInstance(type))) return null;
        return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Words(TimeSpan span)
    {
        static string Count(double n, string unit) => $"{n:0.###} {unit}{(n == 1 ? "" : "s")}";
        if (span.TotalHours >= 1 && span.TotalHours % 1 == 0) return Count(span.TotalHours, "hour");
        if (span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0) return Count(span.TotalMinutes, "minute");
        return Count(span.TotalSeconds, "second");
    }

    /// <summary>The default a parameter's description states ("Default: $env:MESSAGINGTOOLS_BALE_API_KEY."), for defaults the code cannot show (an environment variable, now).</summary>
    public static string? StatedDefault(string? summary)
    {
        var m = Regex.Match(summary ?? "", @"\bDefault:\s*(?<value>.+?)\.?$");
        return m.Success ? m.Groups["value"].Value : null;
    }

    /// <summary>What the validation attributes accept, as a sentence: "Range: 1 to 64." (ValidateRange).</summary>
    public static string? Accepted(PropertyInfo p)
    {
        var range = p.GetCustomAttribute<ValidateRangeAttribute>();
        if (range != null) return $"Range: {range.MinRange} to {range.MaxRange}.";
        return null;
    }

    /// <summary>The values a parameter takes from a fixed list (ValidateSet, an enum), for the syntax ({On | Off}).</summary>
    public static IReadOnlyList<string> ValueSet(PropertyInfo p)
    {
        var set = p.GetCustomAttribute<ValidateSetAttribute>();
        if (set != null) return set.ValidValues.Where(v => v.Length > 0).ToList();
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        return t.IsEnum ? Enum.GetNames(t) : Array.Empty<string>();
    }
}
