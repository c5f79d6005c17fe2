// Language support that netstandard2.0 lacks: lets Core use init-only properties and records.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
