using System;
using System.Runtime.InteropServices;
using System.Security;
using MessagingTools.Core.Security;

namespace MessagingTools.Internal
{
    internal static class Secrets
    {
        public static SecureString ToSecureString(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The parameter if given, else the environment variable; null when neither has a value.</summary>
        public static Secret? Resolve(SecureString? parameter, string environmentVariable)
        {
            var value = parameter != null && parameter.Length > 0 ? Reveal(parameter) : Environment.GetEnvironmentVariable(environmentVariable);
            return string.IsNullOrWhiteSpace(value) ? null : new Secret(value!); // blank counts as not given
        }

        private static string Reveal(SecureString secure)
        {
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
