using System;
using System.Management.Automation;
using MessagingTools.Core.Security;
using MessagingTools.Internal;

namespace MessagingTools.Commands.Zadarma
{
    /// <summary>
    /// The one resolution of a Zadarma credential, for the request cmdlets (ZadarmaCmdlet) and the ones that only verify
    /// what Zadarma sends (Receive-ZadarmaCall, ConvertFrom-ZadarmaNotification): <c>-Credential</c> (user name = API
    /// key, password = secret), else the environment variables a runbook sets.
    /// </summary>
    internal static class ZadarmaCredentials
    {
        internal const string KeyVariable = "MESSAGINGTOOLS_ZADARMA_API_KEY";
        internal const string SecretVariable = "MESSAGINGTOOLS_ZADARMA_API_SECRET";

        /// <summary>
        /// The key and secret of the run. Missing: a dry run gets a stand-in, an <paramref name="optional"/> one null,
        /// any other run stops with ZadarmaCredentialIsMissing. Unusable (blank, a ':' in the key, a line break) stops the
        /// run, naming where it came from and never its value.
        /// </summary>
        public static (string Key, Secret Secret)? Resolve(PSCmdlet cmdlet, PSCredential? credential, bool dryRun, bool optional = false)
        {
            string? key, secret;
            string source;
            if (credential != null && credential != PSCredential.Empty)
            {
                key = credential.UserName;
                secret = credential.GetNetworkCredential()?.Password;
                source = "-Credential";
            }
            else
            {
                key = Environment.GetEnvironmentVariable(KeyVariable);
                secret = Environment.GetEnvironmentVariable(SecretVariable);
                source = $"the environment variables {KeyVariable} and {SecretVariable}";
                if (string.IsNullOrWhiteSpace(key) && string.IsNullOrWhiteSpace(secret))
                {
                    if (dryRun) return ("dry-run", RunSettings.DryRunSecret); // -WhatIf sends nothing: no credential needed
                    if (optional) return null;
                    cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaCredentialIsMissing", ErrorCategory.InvalidArgument,
                        $"No Zadarma credential was given: use -Credential (user name = API key, password = secret key), " +
                        $"or set the environment variables {KeyVariable} and {SecretVariable}."));
                }
            }
            key = key?.Trim();
            if (string.IsNullOrEmpty(key) || key!.IndexOf(':') >= 0 || key.IndexOf(' ') >= 0)
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaApiKeyIsInvalid", ErrorCategory.InvalidArgument,
                    $"The Zadarma API key from {source} is empty or contains ':' or a space."));
            if (string.IsNullOrWhiteSpace(secret)) // blank counts as missing, as for the other providers
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaSecretIsMissing", ErrorCategory.InvalidArgument,
                    $"The Zadarma secret key from {source} is empty."));
            RunSettings.RefuseUnusableSecret(cmdlet, key!, "ZadarmaApiKeyIsInvalid", $"The Zadarma API key from {source}");
            // The secret only keys the HMAC (it is never sent): letters of any script are its UTF-8 bytes, as in PHP.
            var secretRefusal = Secret.SigningRefusal(secret);
            if (secretRefusal != null)
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaSecretIsInvalid", ErrorCategory.InvalidArgument,
                    $"The Zadarma secret key from {source} cannot be used: {secretRefusal}."));
            return (key!, Secret.ForSigning(secret!));
        }

        /// <summary>
        /// The secret that checks notifications' signatures (Receive-ZadarmaCall, ConvertFrom-ZadarmaNotification): as
        /// <see cref="Resolve"/> with none required, except that <paramref name="requireSignature"/> without a secret stops
        /// the run with ZadarmaCredentialIsMissing (nothing could be checked, so every notification would be refused).
        /// </summary>
        public static Secret? ResolveSignatureSecret(PSCmdlet cmdlet, PSCredential? credential, bool requireSignature)
        {
            var secret = Resolve(cmdlet, credential, dryRun: false, optional: true)?.Secret;
            if (requireSignature && secret is null)
                cmdlet.ThrowTerminatingError(ErrorRecords.ForRun("ZadarmaCredentialIsMissing", ErrorCategory.InvalidArgument,
                    "-RequireSignature needs the account's secret to check signatures with: use -Credential (user name = API key, " +
                    $"password = secret key), or set the environment variables {KeyVariable} and {SecretVariable}."));
            return secret;
        }
    }
}
