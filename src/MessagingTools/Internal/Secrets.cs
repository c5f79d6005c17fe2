using System;
using System.Runtime.InteropServices;
using System.Security;

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

        /// <summary>
        /// The parameter's text if given, else the environment variable's; null when neither has a value (blank counts
        /// as not given). <paramref name="source"/> says which it was, for error messages.
        /// </summary>
        public static string? Read(SecureString? parameter, string parameterName, string environmentVariable, out string source)
        {
            if (parameter != null && parameter.Length > 0)
            {
                source = "-" + parameterName;
                var text = Reveal(parameter);
                return string.IsNullOrWhiteSpace(text) ? null : text;
            }
            source = "the environment variable " + environmentVariable;
            var value = Environment.GetEnvironmentVariable(environmentVariable);
            return string.IsNullOrWhiteSpace(value) ? null : value;
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
