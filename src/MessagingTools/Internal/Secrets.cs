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
            if (parameter != null && parameter.Length > 0) return new Secret(Reveal(parameter));
            var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
            return string.IsNullOrEmpty(fromEnvironment) ? null : new Secret(fromEnvironment!);
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
