using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using MessagingTools.Core.Errors;
using Xunit;
using Xunit.Abstractions;

namespace MessagingTools.Core.Tests;

/// <summary>
/// Core's namespaces form a tree (issue 17, item 4): no namespace uses another that uses it back, directly or through
/// others. Errors <-> Http (ProviderErrors read TransportResponse; HttpTransport throws MessagingException) and
/// Http <-> Pipeline (HttpTransport lent its ThrottleSlot; the pump logged at Http's LogLevel) were such loops.
/// </summary>
/// <remarks>
/// Read by reflection from the built assembly, so that a fully qualified name or a parent namespace's type (visible without
/// a using) counts as much as a using: a type of namespace A depends on namespace B when a type of B is its base type or
/// an interface, the type of a field, property or event, in a method's or constructor's signature, or used in a method
/// body (the members and types its IL calls, reads, creates or casts to, lambdas and async state machines included), with
/// generic arguments and array element types followed. Nested types count for the namespace of the type they are in.
/// </remarks>
public class NamespaceDependencyTests
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                            BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly s_core = typeof(MessagingException).Assembly;
    private readonly ITestOutputHelper _output;

    public NamespaceDependencyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void NoTwoNamespacesOfCoreDependOnEachOtherDirectlyOrThroughOthers()
    {
        var graph = Dependencies();
        foreach (var from in graph.Keys.OrderBy(n => n, StringComparer.Ordinal))
            _output.WriteLine($"{from} -> {string.Join(", ", graph[from].Keys.OrderBy(n => n, StringComparer.Ordinal))}");

        var cycle = FindCycle(graph);
        Assert.True(cycle is null, cycle is null ? "" :
            "Core's namespaces depend on each other in a loop:\n" + string.Join("\n", cycle.Zip(cycle.Skip(1), (a, b) =>
                $"  {a} -> {b} (e.g. {string.Join("; ", graph[a][b].Take(3))})")));
    }

    [Fact]
    public void TheCheckSeesDependenciesThatOnlyAMethodBodyHas()
    {
        // HttpTransport calls ThrottleSlot.DelayAsync inside an async method only: no signature names it.
        var graph = Dependencies();
        Assert.Contains("MessagingTools.Core.Throttling", graph["MessagingTools.Core.Http"].Keys);
        Assert.Contains("MessagingTools.Core.Errors", graph["MessagingTools.Core.Http"].Keys);
    }

    /// <summary>namespace -> namespace it uses -> a few of the reasons (type: member or use).</summary>
    private static Dictionary<string, Dictionary<string, List<string>>> Dependencies()
    {
        var graph = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
        foreach (var type in s_core.GetTypes())
        {
            var from = NamespaceOf(type);
            if (from is null) continue;
            if (!graph.ContainsKey(from)) graph[from] = new Dictionary<string, List<string>>(StringComparer.Ordinal);

            void Use(Type? used, string why)
            {
                foreach (var t in Expand(used))
                {
                    var to = NamespaceOf(t);
                    if (to is null || to == from) continue;
                    if (!graph[from].TryGetValue(to, out var reasons)) graph[from][to] = reasons = new List<string>();
                    if (reasons.Count < 10) reasons.Add($"{type.FullName}: {why} uses {t.FullName}");
                }
            }

            Use(type.BaseType, "base type");
            foreach (var i in type.GetInterfaces()) Use(i, "interface");
            foreach (var f in type.GetFields(Everything)) Use(f.FieldType, "field " + f.Name);
            foreach (var p in type.GetProperties(Everything)) Use(p.PropertyType, "property " + p.Name);
            foreach (var e in type.GetEvents(Everything)) Use(e.EventHandlerType, "event " + e.Name);
            foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                if (m is MethodInfo mi) Use(mi.ReturnType, m.Name + " returns");
                foreach (var p in m.GetParameters()) Use(p.ParameterType, m.Name + " parameter " + p.Name);
                foreach (var used in BodyReferences(m)) Use(used, m.Name + " body");
            }
        }
        return graph;
    }

    /// <summary>Core's namespace of a type, or null for a type not in Core's namespaces.</summary>
    private static string? NamespaceOf(Type type)
    {
        if (type.Assembly != s_core) return null;
        while (type.DeclaringType != null) type = type.DeclaringType;
        var ns = type.Namespace;
        return ns != null && (ns == "MessagingTools.Core" || ns.StartsWith("MessagingTools.Core.", StringComparison.Ordinal)) ? ns : null;
    }

    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null || type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var t in Expand(type.GetElementType())) yield return t;
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
            foreach (var arg in type.GetGenericArguments())
                foreach (var t in Expand(arg)) yield return t;
    }

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types a method body names: its type tokens, and the declaring and value types of the members it uses.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { il = null; }
        if (il is null) yield break;

        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : Type.EmptyTypes;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : Type.EmptyTypes;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[at++]));
            var op = s_opCodes[value];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    var targets = BitConverter.ToInt32(il, at);
                    at += 4 + 4 * targets;
                    break;
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    MemberInfo? member;
                    try { member = method.Module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (Exception) { member = null; }
                    switch (member)
                    {
                        case Type t:
                            yield return t;
                            break;
                        case FieldInfo f:
                            if (f.DeclaringType != null) yield return f.DeclaringType;
                            yield return f.FieldType;
                            break;
                        case MethodBase m:
                            if (m.DeclaringType != null) yield return m.DeclaringType;
                            if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                            break;
                    }
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    at += 4;
                    break;
            }
        }
    }

    /// <summary>A loop as the list of its namespaces, the first repeated at the end; null when there is none.</summary>
    private static List<string>? FindCycle(Dictionary<string, Dictionary<string, List<string>>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var edges) ? edges.Keys.OrderBy(n => n, StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                state.TryGetValue(next, out var s);
                if (s == 1) return path.Skip(path.IndexOf(next)).Append(next).ToList();
                if (s == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.OrderBy(n => n, StringComparer.Ordinal))
            if (!state.ContainsKey(node) && Visit(node) is { } cycle)
                return cycle;
        return null;
    }
}
