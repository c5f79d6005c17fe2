namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Lets netstandard2.0 declare <c>init</c> accessors: the requests and queries (BaleMessage, ZadarmaSmsRequest...)
    /// are immutable once built, so that a value checked by a Prepare step stays the value that is sent.
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
